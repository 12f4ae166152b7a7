import "server-only";

import { PACED_DOMAINS, PACING_DOMAINS_SHOWN, PACING_FRESH_SECONDS, type TPacedDomainRow } from "@/lib/campaigns/campaign-pacing-sql";
import { reachedBySql } from "@/lib/campaigns/reached-by-sql";
import { pgPool } from "@/lib/pg";

export type TCampaignStats = {
  status: string;
  /** Why a `failed` campaign stopped (a send or audience job used up its retries); null otherwise. */
  failureReason: string | null;
  failedAt: Date | null;
  total: number;
  queued: number;
  sent: number;
  failed: number;
  /** Emails not sent because the member objected after the launch, or their emails were stopped. */
  skipped: number;
  seen: number;
  clicked: number;
  objected: number;
  /** Members reached by at least one channel: an email accepted and not bounced, or an in-app notice seen. */
  reached: number;
  /**
   * Emails held back for their domain's MAIL_DOMAIN_RATES: the domains, each with the rate the
   * worker that waited paces it at (null if it recorded none), and when a worker last waited. Null
   * unless the campaign runs and a worker waited in the last PACING_FRESH_SECONDS; at most
   * PACING_DOMAINS_SHOWN domains, those waited on last.
   */
  pacing: { domains: { domain: string; ratePerSecond: number | null }[]; at: Date } | null;
};

/** Counts straight from the rows (an index scan on campaign and status), so they are never stale. */
export const campaignStats = async (campaignId: string): Promise<TCampaignStats | null> => {
  const { rows } = await pgPool().query<{ status: string; failureReason: string | null; failedAt: Date | null; total: number; queued: string; sent: string; failed: string; skipped: string; seen: string; clicked: string; objected: string; reached: string }>(
    `SELECT c.status, c."failureReason", c."failedAt", c.total,
       (SELECT count(*) FROM "Notification" n WHERE n."campaignId" = c.id AND n.channel = 'email' AND n.status = 'queued') AS queued,
       (SELECT count(*) FROM "Notification" n WHERE n."campaignId" = c.id AND n.channel = 'email' AND n.status IN ('sent', 'seen', 'clicked')) AS sent,
       (SELECT count(*) FROM "Notification" n WHERE n."campaignId" = c.id AND n.status = 'failed') AS failed,
       (SELECT count(*) FROM "Notification" n WHERE n."campaignId" = c.id AND n.status = 'skipped') AS skipped,
       (SELECT count(*) FROM "Notification" n WHERE n."campaignId" = c.id AND n."seenAt" IS NOT NULL) AS seen,
       (SELECT count(*) FROM "Notification" n WHERE n."campaignId" = c.id AND n."clickedAt" IS NOT NULL) AS clicked,
       (SELECT count(*) FROM "Objection" o JOIN "Notification" n ON n.id = o."notificationId" WHERE n."campaignId" = c.id) AS objected,
       -- A member counts once, however many channels reached them.
       (SELECT count(DISTINCT n."memberId") FROM "Notification" n WHERE n."campaignId" = c.id AND ${reachedBySql("n")}) AS reached
     FROM "Campaign" c WHERE c.id = $1`,
    [campaignId],
  );
  const row = rows[0];
  if (!row) return null;
  // Only a running campaign waits: a few rows, by the primary key.
  const paced = row.status === "running" ? (await pgPool().query<TPacedDomainRow>(PACED_DOMAINS, [campaignId, PACING_FRESH_SECONDS, PACING_DOMAINS_SHOWN])).rows : [];
  const lastWait = Math.max(...paced.map(({ waitedAt }) => waitedAt.getTime()));
  return {
    status: row.status,
    failureReason: row.failureReason,
    failedAt: row.failedAt,
    total: row.total,
    queued: Number(row.queued),
    sent: Number(row.sent),
    failed: Number(row.failed),
    skipped: Number(row.skipped),
    seen: Number(row.seen),
    clicked: Number(row.clicked),
    objected: Number(row.objected),
    reached: Number(row.reached),
    pacing: paced.length > 0 ? { domains: paced.map(({ domain, ratePerSecond }) => ({ domain, ratePerSecond })), at: new Date(lastWait) } : null,
  };
};
