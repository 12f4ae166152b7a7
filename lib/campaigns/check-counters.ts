import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { COUNTER_DRIFT, type TCounterDriftRow } from "@/lib/campaigns/campaign-counters-sql";
import { logger } from "@/lib/logger";
import { inTransaction } from "@/lib/pg";

/**
 * The nightly check of the counters that campaign progress and /api/metrics read: every figure
 * recounted from the rows. A figure that disagrees is logged (`counter_drift`, a warning an
 * operator alerts on) with both values; nothing is corrected, because a counter that drifted means
 * a writer the triggers do not see, and that is what to find. Returns the figures that disagree.
 */
export const checkCounters = async ({ actor }: { actor: TActor }) => {
  assertActorKind(actor, "system");
  const drift = await inTransaction(async (client) => (await client.query<TCounterDriftRow>(COUNTER_DRIFT)).rows, { isolation: "REPEATABLE READ" });
  for (const { campaignId, figure, counted, recounted } of drift) {
    logger().warn({ event: "counter_drift", campaignId, figure, counted: Number(counted), recounted: Number(recounted) }, "a counter disagrees with its rows");
  }
  return drift.map((row) => ({ ...row, counted: Number(row.counted), recounted: Number(row.recounted) }));
};
