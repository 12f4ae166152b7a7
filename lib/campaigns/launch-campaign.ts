import "server-only";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assertPlatformOrRole, type TActor } from "@/lib/auth/actor";
import { campaignNotFound } from "@/lib/campaigns/campaign-not-found";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { enqueueJob, jobs, QUEUES } from "@/lib/jobs";

/**
 * draft → running, and queues the job that computes the audience. Both in one transaction (with
 * the audit event), so a launched campaign always has its audience job. The HTTP request returns
 * at once (202). For the platform or an admin with the admin role; AppError `not_found` or
 * `conflict` (not a draft), and nothing changes. `onlyNotYetReached`, when given (the console's
 * launch dialog asks), decides at launch whether members an earlier campaign reached are left out.
 */
export const launchCampaign = async ({ campaignId, actor, onlyNotYetReached }: { campaignId: string; actor: TActor; onlyNotYetReached?: boolean }) => {
  assertPlatformOrRole(actor, "admin");
  await jobs();
  const launched = await db().$transaction(async (tx) => {
    const { count } = await tx.campaign.updateMany({
      where: { id: campaignId, status: "draft" },
      data: { status: "running", launchedAt: new Date(), ...(onlyNotYetReached === undefined ? {} : { onlyNotYetReached }) },
    });
    if (count === 0) return false;
    await enqueueJob(tx, { queue: QUEUES.campaignAudience.name, data: { campaignId }, options: { singletonKey: campaignId, deadLetter: QUEUES.campaignFailed.name } });
    await recordAuditEvent(tx, { actor, action: "campaign_launch", target: { type: "campaign", id: campaignId }, ...(onlyNotYetReached === undefined ? {} : { detail: { onlyNotYetReached } }) });
    return true;
  });
  if (launched) return;

  const campaign = await db().campaign.findUnique({ where: { id: campaignId }, select: { status: true } });
  if (!campaign) throw campaignNotFound();
  throw new AppError("conflict", { message: `The campaign is ${campaign.status}: only a draft can be launched.` });
};
