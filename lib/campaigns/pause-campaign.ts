import "server-only";

import { campaignNotFound, type TCampaignResult } from "@/lib/campaigns/campaign-result";
import { db } from "@/lib/db";

/** running → paused. Send jobs check the status before every chunk, so sending stops within one. */
export const pauseCampaign = async (campaignId: string): Promise<TCampaignResult> => {
  const { count } = await db().campaign.updateMany({ where: { id: campaignId, status: "running" }, data: { status: "paused" } });
  if (count > 0) return { ok: true };
  const campaign = await db().campaign.findUnique({ where: { id: campaignId }, select: { status: true } });
  if (!campaign) return campaignNotFound;
  return { ok: false, reason: "conflict", message: `The campaign is ${campaign.status}: only a running campaign can be paused.` };
};
