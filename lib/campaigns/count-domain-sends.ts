import "server-only";

import type pg from "pg";

import { recipientDomainSql, WINDOW_START_SQL } from "@/lib/bounces/domain-pause-sql";

// Last in the chunk's transaction, so the window's row is locked only for the moment to commit;
// rows in domain order, so chunks of concurrent jobs that share domains take the locks in one order.
const COUNT_SQL = `
INSERT INTO "CampaignDomainWindow" ("campaignId", domain, "windowStart", sent)
SELECT $1, ${recipientDomainSql("m")}, ${WINDOW_START_SQL}, count(*)::int FROM unnest($2::text[]) AS m(email) GROUP BY 2 ORDER BY 2
ON CONFLICT ("campaignId", domain, "windowStart") DO UPDATE SET sent = "CampaignDomainWindow".sent + EXCLUDED.sent`;

/**
 * Counts a chunk's sent emails per recipient domain in the current 10-minute window, on the
 * chunk's transaction: the denominator of a domain's policy rejections (lib/bounces/domain-pause-sql.ts).
 */
export const countDomainSends = async ({ client, campaignId, sentTo }: { client: pg.PoolClient; campaignId: string; sentTo: string[] }) => {
  if (sentTo.length === 0) return;
  await client.query({ name: "count_domain_sends", text: COUNT_SQL, values: [campaignId, sentTo] });
};
