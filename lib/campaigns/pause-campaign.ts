import "server-only";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { adminBehind, type TCampaignActor } from "@/lib/campaigns/campaign-actor";
import { campaignNotFound, type TCampaignResult } from "@/lib/campaigns/campaign-result";
import { db } from "@/lib/db";

/** running → paused. Send jobs check the status before every chunk, so sending stops within one. */
export const pauseCampaign = async ({ campaignId, actor }: { campaignId: string; actor: TCampaignActor }): Promise<TCampaignResult> => {
  const admin = adminBehind(actor);
  const paused = await db().$transaction(async (tx) => {
    const { count } = await tx.campaign.updateMany({ where: { id: campaignId, status: "running" }, data: { status: "paused" } });
    if (count > 0 && admin) await recordAuditEvent(tx, { actor: admin, action: "campaign_pause", target: { type: "campaign", id: campaignId } });
    return count > 0;
  });
  if (paused) return { ok: true };
  const campaign = await db().campaign.findUnique({ where: { id: campaignId }, select: { status: true } });
  if (!campaign) return campaignNotFound;
  return { ok: false, reason: "conflict", message: `The campaign is ${campaign.status}: only a running campaign can be paused.` };
};
