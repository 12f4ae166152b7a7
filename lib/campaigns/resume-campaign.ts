import "server-only";

import { campaignNotFound, type TCampaignResult } from "@/lib/campaigns/campaign-result";
import { enqueueBatches } from "@/lib/campaigns/enqueue-batches";
import { jobs } from "@/lib/jobs";
import { inTransaction } from "@/lib/pg";

/**
 * paused → running, and a send job again for every batch that still has queued notifications.
 * A job still waiting from before the pause may run as well: claiming rows is safe to race.
 */
export const resumeCampaign = async (campaignId: string): Promise<TCampaignResult> => {
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
    return { ok: true };
  });
};
