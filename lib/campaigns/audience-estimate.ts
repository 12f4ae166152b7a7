import "server-only";

import { assertRole } from "@/lib/auth/actor";
import { AUDIENCE_ESTIMATE_SQL, type TAudienceEstimateRow } from "@/lib/campaigns/audience-estimate-sql";
import { ANY_EARLIER_REACH_SQL } from "@/lib/campaigns/audience-sql";
import type { TAudienceFigures, TAudienceQuestion } from "@/lib/campaigns/audience-wording";
import { EEA_COUNTRIES } from "@/lib/members/eea-countries";
import { pgPool } from "@/lib/pg";

/**
 * The console's audience before launch, estimated from the counters at once (AUDIENCE_ESTIMATE_SQL
 * says what it leaves out); audiencePreview counts it exactly, on demand. How many of the audience
 * an earlier campaign already reached has no counter of the same meaning (DashboardNoticeCounter's
 * "notified" counts in-app notices never seen, bounced emails, notices outside campaigns, minors
 * and objectors, and lags the refresh), so it stays unknown: "only those not yet reached" then
 * defaults to whether any campaign reached anyone. `campaignId` is the draft itself.
 */
export const audienceEstimate = async ({
  actor,
  countries,
  notReachedBy,
  campaignId,
  at = new Date(),
}: TAudienceQuestion): Promise<TAudienceFigures> => {
  assertRole(actor, "admin");
  const scope = countries.length > 0 ? [...countries] : [...EEA_COUNTRIES];
  const pool = pgPool();
  const [estimate, earlier] = await Promise.all([
    pool.query<TAudienceEstimateRow>(AUDIENCE_ESTIMATE_SQL, [scope, at, notReachedBy ?? null]),
    pool.query<{ any: boolean }>(ANY_EARLIER_REACH_SQL, [campaignId ?? null]),
  ]);
  return { count: Number(estimate.rows[0]?.count ?? 0), alreadyReached: null, anyEarlierReach: earlier.rows[0]?.any ?? false, estimated: true };
};
