import "server-only";

import { pgPool } from "@/lib/pg";

/** How often one worker writes, per campaign, which domains wait. */
const RECORD_EVERY_MS = 1000;

const globalForPacing = globalThis as unknown as { pacingRecordedAt?: Map<string, number> };

/**
 * Says on the campaign that emails to these domains wait for their MAIL_DOMAIN_RATES budget, and
 * when a worker last waited: what the console and the API show. One small UPDATE a second at most
 * per worker and campaign, however many chunks are held back; the last worker to write names the domains.
 */
export const recordPacing = async ({ campaignId, domains }: { campaignId: string; domains: string[] }) => {
  const recordedAt = (globalForPacing.pacingRecordedAt ??= new Map());
  const now = Date.now();
  if (domains.length === 0 || now - (recordedAt.get(campaignId) ?? 0) < RECORD_EVERY_MS) return;
  recordedAt.set(campaignId, now);
  // Old entries go, so a long-lived worker keeps one per campaign it paces now.
  for (const [id, at] of recordedAt) if (now - at > 60 * RECORD_EVERY_MS) recordedAt.delete(id);
  await pgPool().query(`UPDATE "Campaign" SET "pacedDomains" = $2::text[], "pacedAt" = now() WHERE id = $1 AND status = 'running'`, [campaignId, [...new Set(domains)].sort()]);
};
