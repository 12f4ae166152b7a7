import "server-only";

import { PEEK, type TPeekRow } from "@/lib/campaigns/send-campaign-batch-sql";
import { takeDomainBudget } from "@/lib/mail-pacing/take-domain-budget";
import { pgPool } from "@/lib/pg";

/**
 * The ids of the next chunk to claim, each paced domain's share cut to the budget it was granted
 * (null: no domain is paced), and those of them read as rows to skip, for which no budget was taken.
 * `held`: the paced domains that had more emails than budget.
 */
export type TNextChunk = { ids: string[] | null; toSkip: string[]; more: boolean; held: string[] };

type TNextPacedChunkInput = {
  campaignId: string;
  batch: number;
  /** MAIL_DOMAIN_RATES: emails a second per paced domain. */
  rates: ReadonlyMap<string, number>;
  /** Paced domains whose budget is spent, and when it comes back (epoch ms); updated here. */
  waiting: Map<string, number>;
  /** Recipients that got a 4xx in this job, not tried again by it. */
  retryLater: string[];
  chunkSize: number;
};

/** Chooses the next chunk of a batch: unpaced domains' emails whole, paced ones' as far as their budget goes. */
export const nextPacedChunk = async ({ campaignId, batch, rates, waiting, retryLater, chunkSize }: TNextPacedChunkInput): Promise<TNextChunk> => {
  if (rates.size === 0) return { ids: null, toSkip: [], more: true, held: [] };
  const now = Date.now();
  for (const [domain, until] of waiting) if (until <= now) waiting.delete(domain);
  const { rows } = await pgPool().query<TPeekRow>(PEEK, [campaignId, batch, retryLater, chunkSize, [...waiting.keys()]]);
  const toSkip = rows.filter((row) => row.skip).map((row) => row.id);
  const ids = [...toSkip];
  const held: string[] = [];
  const byDomain = new Map<string, { id: string }[]>();
  for (const row of rows) if (!row.skip) byDomain.set(row.domain, [...(byDomain.get(row.domain) ?? []), row]);
  for (const [domain, domainRows] of byDomain) {
    const rate = rates.get(domain);
    if (rate === undefined) {
      ids.push(...domainRows.map((row) => row.id));
      continue;
    }
    const { granted, msBeforeNext } = await takeDomainBudget({ domain, rate, wanted: domainRows.length });
    ids.push(...domainRows.slice(0, granted).map((row) => row.id));
    if (msBeforeNext > 0) waiting.set(domain, Date.now() + msBeforeNext);
    if (granted < domainRows.length) held.push(domain);
  }
  return { ids, toSkip, more: rows.length > 0, held };
};
