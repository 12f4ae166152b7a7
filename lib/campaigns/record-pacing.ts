import "server-only";

import { PACING_FRESH_SECONDS } from "@/lib/campaigns/campaign-stats";
import { pgPool } from "@/lib/pg";

/** How often one worker writes, per campaign, which domains wait. */
const RECORD_EVERY_MS = 1000;

const globalForPacing = globalThis as unknown as { pacingRecordedAt?: Map<string, number> };

/**
 * Says on the campaign that emails to these domains wait for their MAIL_DOMAIN_RATES budget, each
 * as `domain=rate` (the rate this worker paces it at, so the console needs no MAIL_DOMAIN_RATES of
 * its own), and when a worker last waited: what the console and the API show. One small UPDATE a
 * second at most per worker and campaign, however many chunks are held back. Workers waiting on
 * different domains each add theirs: the stored list is kept while its last wait is fresh, and
 * starts afresh once it is not.
 */
export const recordPacing = async ({ campaignId, domains }: { campaignId: string; domains: { domain: string; ratePerSecond: number }[] }) => {
  const recordedAt = (globalForPacing.pacingRecordedAt ??= new Map());
  const now = Date.now();
  if (domains.length === 0 || now - (recordedAt.get(campaignId) ?? 0) < RECORD_EVERY_MS) return;
  recordedAt.set(campaignId, now);
  // Old entries go, so a long-lived worker keeps one per campaign it paces now.
  for (const [id, at] of recordedAt) if (now - at > 60 * RECORD_EVERY_MS) recordedAt.delete(id);
  await pgPool().query(
    `UPDATE "Campaign" SET
       "pacedDomains" = array(SELECT DISTINCT unnest(CASE WHEN "pacedAt" > now() - make_interval(secs => $3) THEN "pacedDomains" ELSE '{}' END || $2::text[]) ORDER BY 1),
       "pacedAt" = now()
     WHERE id = $1 AND status = 'running'`,
    [campaignId, domains.map(({ domain, ratePerSecond }) => `${domain}=${ratePerSecond}`), PACING_FRESH_SECONDS],
  );
};
