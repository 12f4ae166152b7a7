import "server-only";

import { recipientDomainSql, WINDOW_START_SQL } from "@/lib/bounces/domain-pause-sql";
import { CAMPAIGN_PROGRESS, type TCampaignProgressRow } from "@/lib/campaigns/campaign-counters-sql";
import { pacedDomainsSql, type TPacedDomainsRow } from "@/lib/campaigns/campaign-pacing-sql";
import { QUEUES } from "@/lib/jobs";

// running → failed, only while the failure still stands: the batch still has emails queued and no
// other send job for it is waiting or running (a resume enqueues one), or the audience is still
// not computed and no audience job is left. So a dead letter read late, after a resume, changes nothing.
export const RECORD_CAMPAIGN_FAILURE_SQL = `
  UPDATE "Campaign" c SET status = 'failed', "failureReason" = $3, "failedAt" = now(), "updatedAt" = now()
   WHERE c.id = $1::uuid AND c.status = 'running'
     AND CASE WHEN $2::int IS NULL THEN
           c."audienceAt" IS NULL
           AND NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.name = '${QUEUES.campaignAudience.name}' AND j.state < 'completed' AND j.data->>'campaignId' = c.id::text)
         ELSE
           EXISTS (SELECT 1 FROM "Notification" n WHERE n."campaignId" = c.id AND n.batch = $2 AND n.status = 'queued' AND n.channel = 'email')
           AND NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.name = '${QUEUES.campaignBatch.name}' AND j.state < 'completed' AND j.data->>'campaignId' = c.id::text AND j.data->>'batch' = $2::text)
         END
  RETURNING c.id`;

// Last in the chunk's transaction, so the window's row is locked only for the moment to commit;
// rows in domain order, so chunks of concurrent jobs that share domains take the locks in one order.
export const COUNT_DOMAIN_SENDS_SQL = `
INSERT INTO "CampaignDomainWindow" ("campaignId", domain, "windowStart", sent)
SELECT $1, ${recipientDomainSql("m")}, ${WINDOW_START_SQL}, count(*)::int FROM unnest($2::text[]) AS m(email) GROUP BY 2 ORDER BY 2
ON CONFLICT ("campaignId", domain, "windowStart") DO UPDATE SET sent = "CampaignDomainWindow".sent + EXCLUDED.sent`;

/** A domain's pause on campaign $1, domain $2, deleted: its figures, and the campaign's status. */
export type TLiftedDomainPauseRow = { sent: number; rejected: number; lastStatus: string | null; status: string };

export const LIFT_DOMAIN_PAUSE_SQL = `
  DELETE FROM "CampaignDomainPause" p USING "Campaign" c
   WHERE p."campaignId" = $1 AND p.domain = $2 AND c.id = p."campaignId"
  RETURNING p.sent, p.rejected, p."lastStatus", c.status::text AS status`;

/** The batches of campaign $1 that still have emails queued: each needs a send job again. */
export type TPendingBatchRow = { batch: number };

export const PENDING_BATCHES_SQL = `SELECT DISTINCT batch FROM "Notification" WHERE "campaignId" = $1 AND status = 'queued' AND channel = 'email' ORDER BY batch`;

/** Whether a job of queue $1 is ready and waiting for a worker slot. */
export type TSendJobWaitingRow = { waiting: boolean };

export const SEND_JOB_WAITING_SQL = `SELECT EXISTS (SELECT 1 FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry') AND start_after <= now()) AS waiting`;

// The progress and, for a running campaign (only a running one waits), its paced domains: one
// statement. $1 the campaign, $2 PACING_FRESH_SECONDS, $3 PACING_DOMAINS_SHOWN.
export const CAMPAIGN_STATS_SQL = `
  WITH progress AS (${CAMPAIGN_PROGRESS})
  SELECT progress.*, p."pacedDomains", p."pacedRates", p."lastWaitAt"
    FROM progress LEFT JOIN LATERAL (${pacedDomainsSql("$1::uuid")}) p ON progress.status = 'running'`;

export type TCampaignStatsRow = TCampaignProgressRow & TPacedDomainsRow;
