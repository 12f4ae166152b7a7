import "server-only";

import { assertRole, type TActor } from "@/lib/auth/actor";
import { AUDIENCE_SIZE_SQL, NOT_REACHED_AUDIENCE_SIZE_SQL, type TAudienceSizeRow } from "@/lib/campaigns/audience-sql";
import { EEA_COUNTRIES } from "@/lib/members/eea-countries";
import { inTransaction } from "@/lib/pg";

/** A count is a scan of the members; on a very large table a preview gives up rather than hold a connection. */
const COUNT_TIMEOUT_MS = 10_000;

const QUERY_CANCELED = "57014";

/**
 * How many members a campaign to these countries would reach if launched now: the audience job's
 * own rule, counted instead of inserted. No countries means every EEA country, as at launch.
 * Null when counting took longer than a preview should (the launch still computes it exactly).
 * With `notReachedBy` (an earlier campaign), a follow-up's: only the members it did not reach.
 * For the admins who create and launch campaigns: a count can scan every member.
 */
export const audienceSize = async ({
  actor,
  countries,
  notReachedBy,
  at = new Date(),
}: {
  actor: TActor;
  countries: readonly string[];
  notReachedBy?: string | null;
  at?: Date;
}): Promise<number | null> => {
  assertRole(actor, "admin");
  const scope = countries.length > 0 ? [...countries] : [...EEA_COUNTRIES];
  try {
    return await inTransaction(async (client) => {
      await client.query(`SET LOCAL statement_timeout = ${COUNT_TIMEOUT_MS}`);
      const { rows } = notReachedBy
        ? await client.query<TAudienceSizeRow>(NOT_REACHED_AUDIENCE_SIZE_SQL, [scope, at, notReachedBy])
        : await client.query<TAudienceSizeRow>(AUDIENCE_SIZE_SQL, [scope, at]);
      return Number(rows[0]?.count ?? 0);
    });
  } catch (error) {
    if ((error as { code?: string }).code === QUERY_CANCELED) return null;
    throw error;
  }
};
