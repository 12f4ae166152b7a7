import "server-only";

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
   * unless the campaign runs and a worker waited in the last PACING_FRESH_SECONDS.
   */
  pacing: { domains: { domain: string; ratePerSecond: number | null }[]; at: Date } | null;
};

/** How long a worker's last wait on a paced domain still counts as waiting (workers write it at most once a second). */
export const PACING_FRESH_SECONDS = 10;

/** A worker records `domain=rate@epoch seconds` (recordPacing); a bare domain (recorded before rates were) has no rate. */
const pacedDomain = (entry: string) => {
  const [domain = entry, rate] = (entry.split("@")[0] ?? entry).split("=");
  const ratePerSecond = rate === undefined ? null : Number(rate);
  return { domain, ratePerSecond: ratePerSecond !== null && Number.isInteger(ratePerSecond) && ratePerSecond > 0 ? ratePerSecond : null };
};

/** Counts straight from the rows (an index scan on campaign and status), so they are never stale. */
export const campaignStats = async (campaignId: string): Promise<TCampaignStats | null> => {
  const { rows } = await pgPool().query<{ status: string; failureReason: string | null; failedAt: Date | null; pacedDomains: string[]; pacedAt: Date | null; pacedNow: boolean; total: number; queued: string; sent: string; failed: string; skipped: string; seen: string; clicked: string; objected: string; reached: string }>(
    `SELECT c.status, c."failureReason", c."failedAt", c."pacedAt", c.total,
       -- The domains a worker waited on within the same span (an entry without its time counts as of pacedAt).
       array(SELECT entry FROM unnest(c."pacedDomains") AS entry
              WHERE CASE WHEN split_part(entry, '@', 2) ~ '^[0-9]+$' THEN split_part(entry, '@', 2)::bigint > extract(epoch FROM now()) - $3 ELSE true END) AS "pacedDomains",
       -- The database's clock, as the workers' writes use it.
       (c.status = 'running' AND c."pacedAt" > now() - make_interval(secs => $2)) AS "pacedNow",
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
    [campaignId, PACING_FRESH_SECONDS, PACING_FRESH_SECONDS],
  );
  const row = rows[0];
  if (!row) return null;
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
    pacing:
      row.pacedNow && row.pacedAt && row.pacedDomains.length > 0
        ? { domains: row.pacedDomains.map(pacedDomain), at: row.pacedAt }
        : null,
  };
};
