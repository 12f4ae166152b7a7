import "server-only";

import { assertRole } from "@/lib/auth/actor";
import { ANY_EARLIER_REACH_SQL, AUDIENCE_PREVIEW_SQL, type TAudiencePreviewRow } from "@/lib/campaigns/audience-sql";
import type { TAudienceQuestion } from "@/lib/campaigns/audience-wording";
import { EEA_COUNTRIES } from "@/lib/members/eea-countries";
import { inTransaction, pgPool } from "@/lib/pg";

/** A count is a scan of the members; on a very large table a preview gives up rather than hold a connection. */
const COUNT_TIMEOUT_MS = 10_000;

const QUERY_CANCELED = "57014";

export type TAudiencePreview = {
  /** Members a launch now would notify, everyone eligible; null when counting took too long. */
  count: number | null;
  /** Of them, those an earlier campaign already reached: "only those not yet reached" leaves them out. Null when not counted. */
  alreadyReached: number | null;
  /**
   * Whether any earlier campaign reached anyone at all (its counters, a few rows a campaign): what
   * "only those not yet reached" defaults to when the audience was too large to count.
   */
  anyEarlierReach: boolean;
};

/**
 * The console's exact count before launch, only when an admin asks ("Count exactly"; the pages show
 * audienceEstimate's figures from the counters): how many members a campaign to these countries
 * would notify if launched now (the audience job's own rule, counted instead of inserted), and how
 * many of them an earlier campaign already reached. `campaignId` is the draft itself (its own
 * notices are no earlier campaign's), `notReachedBy` a follow-up's earlier campaign. For the admins
 * who create and launch campaigns: a count can scan every member, so it gives up after 10 s.
 */
export const audiencePreview = async ({
  actor,
  countries,
  notReachedBy,
  campaignId,
  at = new Date(),
}: TAudienceQuestion): Promise<TAudiencePreview> => {
  assertRole(actor, "admin");
  const scope = countries.length > 0 ? [...countries] : [...EEA_COUNTRIES];
  const anyEarlierReach = (await pgPool().query<{ any: boolean }>(ANY_EARLIER_REACH_SQL, [campaignId ?? null])).rows[0]?.any ?? false;
  try {
    return await inTransaction(async (client) => {
      await client.query(`SET LOCAL statement_timeout = ${COUNT_TIMEOUT_MS}`);
      const { rows } = await client.query<TAudiencePreviewRow>(AUDIENCE_PREVIEW_SQL, [scope, at, notReachedBy ?? null, campaignId ?? null]);
      return { count: Number(rows[0]?.count ?? 0), alreadyReached: Number(rows[0]?.alreadyReached ?? 0), anyEarlierReach };
    });
  } catch (error) {
    if ((error as { code?: string }).code === QUERY_CANCELED) return { count: null, alreadyReached: null, anyEarlierReach };
    throw error;
  }
};

