import "server-only";

import type pg from "pg";

import { WINDOW_START_SQL } from "@/lib/bounces/domain-pause-sql";

// Last in the chunk's transaction, so the window's row is locked only for the moment to commit;
// rows in domain order, so chunks of concurrent jobs that share domains take the locks in one order.
const COUNT_SQL = `
INSERT INTO "CampaignDomainWindow" ("campaignId", domain, "windowStart", sent)
SELECT $1, d.domain, ${WINDOW_START_SQL}, d.n FROM unnest($2::text[], $3::int[]) AS d(domain, n) ORDER BY d.domain
ON CONFLICT ("campaignId", domain, "windowStart") DO UPDATE SET sent = "CampaignDomainWindow".sent + EXCLUDED.sent`;

/**
 * Counts a chunk's sent emails per recipient domain in the current 10-minute window, on the
 * chunk's transaction: the denominator of a domain's policy rejections (lib/bounces/domain-pause-sql.ts).
 */
export const countDomainSends = async ({ client, campaignId, sentTo }: { client: pg.PoolClient; campaignId: string; sentTo: string[] }) => {
  if (sentTo.length === 0) return;
  const byDomain = new Map<string, number>();
  for (const email of sentTo) {
    const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
    byDomain.set(domain, (byDomain.get(domain) ?? 0) + 1);
  }
  await client.query({ name: "count_domain_sends", text: COUNT_SQL, values: [campaignId, [...byDomain.keys()], [...byDomain.values()]] });
};
