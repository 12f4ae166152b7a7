import "server-only";

import { RECORD_PACING } from "@/lib/campaigns/campaign-pacing-sql";
import { pgPool } from "@/lib/pg";

/** How often one worker writes, per campaign, which domains wait. */
const RECORD_EVERY_MS = 1000;

const globalForPacing = globalThis as unknown as { pacingRecordedAt?: Map<string, number> };

/**
 * Records on the campaign that emails to these domains wait for their MAIL_DOMAIN_RATES budget:
 * what the console and the API show. Each domain's row (CampaignPacing) holds the rate this worker
 * paces it at (the console needs no MAIL_DOMAIN_RATES of its own) and when a worker last waited
 * on it. Workers waiting on different domains each refresh their own rows; a domain no worker
 * waits on any more stops being shown once its row is PACING_FRESH_SECONDS old. One small upsert a
 * second at most per worker and campaign, however many chunks are held back.
 */
export const recordPacing = async ({ campaignId, domains }: { campaignId: string; domains: { domain: string; ratePerSecond: number | null }[] }) => {
  const recordedAt = (globalForPacing.pacingRecordedAt ??= new Map());
  const now = Date.now();
  if (domains.length === 0 || now - (recordedAt.get(campaignId) ?? 0) < RECORD_EVERY_MS) return;
  recordedAt.set(campaignId, now);
  // Old entries go, so a long-lived worker keeps one per campaign it paces now.
  for (const [id, at] of recordedAt) if (now - at > 60 * RECORD_EVERY_MS) recordedAt.delete(id);
  await pgPool().query(RECORD_PACING, [campaignId, domains.map(({ domain }) => domain), domains.map(({ ratePerSecond }) => ratePerSecond)]);
};
