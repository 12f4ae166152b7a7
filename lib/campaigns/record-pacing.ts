import "server-only";

import { PACING_FRESH_SECONDS } from "@/lib/campaigns/campaign-stats";
import { pgPool } from "@/lib/pg";

/** How often one worker writes, per campaign, which domains wait. */
const RECORD_EVERY_MS = 1000;

const globalForPacing = globalThis as unknown as { pacingRecordedAt?: Map<string, number> };

/**
 * Says on the campaign that emails to these domains wait for their MAIL_DOMAIN_RATES budget, and
 * when a worker last waited: what the console and the API show. Each domain is an entry
 * `domain=rate@epoch seconds`: the rate this worker paces it at (the console needs no
 * MAIL_DOMAIN_RATES of its own) and when it last waited on it. Workers waiting on different
 * domains each refresh their own entries and keep the others' while those are fresh; a domain no
 * worker waits on any more goes once its entry is PACING_FRESH_SECONDS old. One small UPDATE a
 * second at most per worker and campaign, however many chunks are held back.
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
       "pacedDomains" = array(
         SELECT entry FROM unnest("pacedDomains") AS entry
          WHERE split_part(entry, '=', 1) <> ALL($2::text[])
            AND CASE WHEN split_part(entry, '@', 2) ~ '^[0-9]+$' THEN split_part(entry, '@', 2)::bigint ELSE 0 END > extract(epoch FROM now()) - $4
         UNION
         SELECT d || '=' || r || '@' || floor(extract(epoch FROM now()))::bigint FROM unnest($2::text[], $3::int[]) AS u(d, r)
         ORDER BY 1),
       "pacedAt" = now()
     WHERE id = $1 AND status = 'running'`,
    [campaignId, domains.map(({ domain }) => domain), domains.map(({ ratePerSecond }) => ratePerSecond), PACING_FRESH_SECONDS],
  );
};
