import { adminRoute } from "@/lib/auth/admin-route";
import { campaignWithStats } from "@/lib/campaigns/list-campaigns";

export const dynamic = "force-dynamic";

/** The campaign's live counts; its page polls this every 2 s while it runs. */
export const GET = adminRoute<{ id: string }>(async ({ actor, params }) => {
  const { status, stats } = await campaignWithStats({ actor, campaignId: params.id });
  return Response.json({ ...stats, status }, { headers: { "cache-control": "no-store" } });
});
