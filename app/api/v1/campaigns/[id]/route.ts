import { platformRoute } from "@/lib/api/platform-route";
import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { campaignNotFound } from "@/lib/campaigns/campaign-not-found";
import { campaignStats } from "@/lib/campaigns/campaign-stats";
import { followUpOf } from "@/lib/campaigns/follow-up-of";
import { ZCampaignId } from "@/lib/campaigns/schema";

export const dynamic = "force-dynamic";

export const GET = platformRoute<{ id: string }>(async (_request, { params }) => {
  const id = ZCampaignId.safeParse((await params).id);
  const [stats, earlier] = id.success ? await Promise.all([campaignStats(id.data), followUpOf({ actor: PLATFORM_ACTOR, campaignId: id.data })]) : [null, null];
  if (!stats) throw campaignNotFound();
  return Response.json({ ...stats, notReachedBy: earlier?.id ?? null }, { headers: { "cache-control": "no-store" } });
});
