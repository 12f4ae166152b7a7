import { platformRoute } from "@/lib/api/platform-route";
import { apiError } from "@/lib/api/responses";
import { campaignStats } from "@/lib/campaigns/campaign-stats";
import { ZCampaignId } from "@/lib/campaigns/schema";

export const dynamic = "force-dynamic";

export const GET = platformRoute<{ id: string }>(async (_request, { params }) => {
  const id = ZCampaignId.safeParse((await params).id);
  const stats = id.success ? await campaignStats(id.data) : null;
  if (!stats) return apiError({ status: 404, code: "not_found", message: "No campaign has this id." });
  return Response.json(stats, { headers: { "cache-control": "no-store" } });
});
