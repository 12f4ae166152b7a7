import "server-only";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assertPlatformOrRole, type TActor } from "@/lib/auth/actor";
import { campaignNotFound } from "@/lib/campaigns/campaign-not-found";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";

/**
 * running → paused. Send jobs check the status before every chunk, so sending stops within one.
 * For the platform or an admin with the admin role; AppError `not_found` or `conflict` (not running).
 */
export const pauseCampaign = async ({ campaignId, actor }: { campaignId: string; actor: TActor }) => {
  assertPlatformOrRole(actor, "admin");
  const paused = await db().$transaction(async (tx) => {
    const { count } = await tx.campaign.updateMany({ where: { id: campaignId, status: "running" }, data: { status: "paused" } });
    if (count > 0) await recordAuditEvent(tx, { actor, action: "campaign_pause", target: { type: "campaign", id: campaignId } });
    return count > 0;
  });
  if (paused) return;
  const campaign = await db().campaign.findUnique({ where: { id: campaignId }, select: { status: true } });
  if (!campaign) throw campaignNotFound();
  throw new AppError("conflict", { message: `The campaign is ${campaign.status}: only a running campaign can be paused.` });
};
