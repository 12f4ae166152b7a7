import "server-only";

import type pg from "pg";

import { COUNT_DOMAIN_SENDS_SQL } from "@/lib/campaigns/campaign-sql";

/**
 * Counts a chunk's sent emails per recipient domain in the current 10-minute window, on the
 * chunk's transaction: the denominator of a domain's policy rejections (lib/bounces/domain-pause-sql.ts).
 */
export const countDomainSends = async ({ client, campaignId, sentTo }: { client: pg.PoolClient; campaignId: string; sentTo: string[] }) => {
  if (sentTo.length === 0) return;
  await client.query(COUNT_DOMAIN_SENDS_SQL, [campaignId, sentTo]);
};
