import "server-only";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { adminBehind, type TCampaignActor } from "@/lib/campaigns/campaign-actor";
import { campaignNotFound, type TCampaignResult } from "@/lib/campaigns/campaign-result";
import { db } from "@/lib/db";
import { enqueueJob, jobs, QUEUES } from "@/lib/jobs";

/**
 * draft → running, and queues the job that computes the audience. Both in one transaction (with
 * an admin's audit event), so a launched campaign always has its audience job. The HTTP request
 * returns at once (202).
 */
export const launchCampaign = async ({ campaignId, actor }: { campaignId: string; actor: TCampaignActor }): Promise<TCampaignResult> => {
  const admin = adminBehind(actor);
  await jobs();
  const launched = await db().$transaction(async (tx) => {
    const { count } = await tx.campaign.updateMany({ where: { id: campaignId, status: "draft" }, data: { status: "running", launchedAt: new Date() } });
    if (count === 0) return false;
    await enqueueJob(tx, { queue: QUEUES.campaignAudience.name, data: { campaignId }, options: { singletonKey: campaignId, deadLetter: QUEUES.campaignFailed.name } });
    if (admin) await recordAuditEvent(tx, { actor: admin, action: "campaign_launch", target: { type: "campaign", id: campaignId } });
    return true;
  });
  if (launched) return { ok: true };

  const campaign = await db().campaign.findUnique({ where: { id: campaignId }, select: { status: true } });
  if (!campaign) return campaignNotFound;
  return { ok: false, reason: "conflict", message: `The campaign is ${campaign.status}: only a draft can be launched.` };
};
