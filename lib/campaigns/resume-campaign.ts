import "server-only";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assertPlatformOrRole, type TActor } from "@/lib/auth/actor";
import { campaignNotFound } from "@/lib/campaigns/campaign-not-found";
import { enqueueBatches } from "@/lib/campaigns/enqueue-batches";
import { AppError } from "@/lib/errors/app-error";
import { enqueueJob, jobs, QUEUES } from "@/lib/jobs";
import { inTransaction } from "@/lib/pg";

// pg on purpose (lib/pg.ts): re-enqueueing every batch with queued mail is set-based; launchCampaign changes one row, so it is Prisma.
/**
 * paused or failed → running (with its audit event; a failure's reason is cleared), and the
 * jobs again: the audience job if the audience was never computed, else a send job for every batch
 * that still has queued notifications. With nothing left to send the campaign is done at once.
 * A job still waiting from before may run as well: claiming rows is safe to race. For the platform
 * or an admin with the admin role; AppError `not_found` or `conflict` (neither paused nor failed).
 */
export const resumeCampaign = async ({ campaignId, actor }: { campaignId: string; actor: TActor }) => {
  assertPlatformOrRole(actor, "admin");
  const boss = await jobs();
  return inTransaction(async (client) => {
    const { rows } = await client.query<{ status: string; audienceAt: Date | null }>(`SELECT status, "audienceAt" FROM "Campaign" WHERE id = $1 FOR UPDATE`, [campaignId]);
    const campaign = rows[0];
    if (!campaign) throw campaignNotFound();
    if (campaign.status !== "paused" && campaign.status !== "failed") {
      throw new AppError("conflict", { message: `The campaign is ${campaign.status}: only a paused or failed campaign can be resumed.` });
    }

    let pendingBatches: number[] = [];
    if (!campaign.audienceAt) {
      await enqueueJob(client, { queue: QUEUES.campaignAudience.name, data: { campaignId }, options: { deadLetter: QUEUES.campaignFailed.name } });
    } else {
      const pending = await client.query<{ batch: number }>(
        `SELECT DISTINCT batch FROM "Notification" WHERE "campaignId" = $1 AND status = 'queued' AND channel = 'email' ORDER BY batch`,
        [campaignId],
      );
      pendingBatches = pending.rows.map((row) => row.batch);
      await enqueueBatches({ boss, client, campaignId, batches: pendingBatches });
    }
    const finished = campaign.audienceAt !== null && pendingBatches.length === 0;
    await client.query(
      `UPDATE "Campaign" SET status = $2::"CampaignStatus", "failureReason" = NULL, "failedAt" = NULL, "updatedAt" = now(),
         "completedAt" = CASE WHEN $2 = 'done' THEN now() ELSE "completedAt" END
       WHERE id = $1`,
      [campaignId, finished ? "done" : "running"],
    );
    await recordAuditEvent(client, { actor, action: "campaign_resume", target: { type: "campaign", id: campaignId } });
  });
};
