import { platformRoute } from "@/lib/api/platform-route";
import { campaignStats } from "@/lib/campaigns/campaign-stats";
import { followUpOf } from "@/lib/campaigns/follow-up-of";
import { ZCampaignId } from "@/lib/campaigns/schema";
import { AppError } from "@/lib/errors/app-error";

export const dynamic = "force-dynamic";

export const GET = platformRoute<{ id: string }>(async (_request, { params }) => {
  const id = ZCampaignId.safeParse((await params).id);
  const [stats, earlier] = id.success ? await Promise.all([campaignStats(id.data), followUpOf(id.data)]) : [null, null];
  if (!stats) throw new AppError("not_found", { message: "No campaign has this id." });
  return Response.json({ ...stats, notReachedBy: earlier?.id ?? null }, { headers: { "cache-control": "no-store" } });
});
