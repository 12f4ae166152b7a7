import "server-only";

import { PACING_DOMAINS_SHOWN, PACING_FRESH_SECONDS } from "@/lib/campaigns/campaign-pacing-sql";
import { CAMPAIGN_STATS_SQL, type TCampaignStatsRow } from "@/lib/campaigns/campaign-sql";
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

/**
 * A campaign's status and progress: a few counter rows by the primary key, and a few pacing rows by
 * theirs, read in one statement, so every poll costs the same however large the campaign.
 */
export const campaignStats = async (campaignId: string): Promise<TCampaignStats | null> => {
  const { rows } = await pgPool().query<TCampaignStatsRow>(CAMPAIGN_STATS_SQL, [campaignId, PACING_FRESH_SECONDS, PACING_DOMAINS_SHOWN]);
  const row = rows[0];
  if (!row) return null;
  const { pacedDomains, pacedRates, lastWaitAt } = row;
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
    pacing: pacedDomains && lastWaitAt ? { domains: pacedDomains.map((domain, index) => ({ domain, ratePerSecond: pacedRates?.[index] ?? null })), at: lastWaitAt } : null,
  };
};
