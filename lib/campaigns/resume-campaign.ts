import "server-only";

import { recordAuditEventSql } from "@/lib/audit/record-audit-event-sql";
import { adminBehind, type TCampaignActor } from "@/lib/campaigns/campaign-actor";
import { campaignNotFound, type TCampaignResult } from "@/lib/campaigns/campaign-result";
import { enqueueBatches } from "@/lib/campaigns/enqueue-batches";
import { jobs } from "@/lib/jobs";
import { inTransaction } from "@/lib/pg";

/**
 * paused → running (with an admin's audit event), and a send job again for every batch that still has queued notifications.
 * A job still waiting from before the pause may run as well: claiming rows is safe to race.
 */
export const resumeCampaign = async ({ campaignId, actor }: { campaignId: string; actor: TCampaignActor }): Promise<TCampaignResult> => {
  const admin = adminBehind(actor);
  const boss = await jobs();
  return inTransaction(async (client) => {
    const { rows } = await client.query<{ status: string }>(`SELECT status FROM "Campaign" WHERE id = $1 FOR UPDATE`, [campaignId]);
    const campaign = rows[0];
    if (!campaign) return campaignNotFound;
    if (campaign.status !== "paused") return { ok: false, reason: "conflict", message: `The campaign is ${campaign.status}: only a paused campaign can be resumed.` };

    await client.query(`UPDATE "Campaign" SET status = 'running', "updatedAt" = now() WHERE id = $1`, [campaignId]);
    const pending = await client.query<{ batch: number }>(
      `SELECT DISTINCT batch FROM "Notification" WHERE "campaignId" = $1 AND status = 'queued' AND channel = 'email' ORDER BY batch`,
      [campaignId],
    );
    await enqueueBatches({ boss, client, campaignId, batches: pending.rows.map((row) => row.batch) });
    if (admin) await recordAuditEventSql(client, { actor: admin, action: "campaign_resume", target: { type: "campaign", id: campaignId } });
    return { ok: true };
  });
};
