import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { COUNTER_DRIFT, type TCounterDriftRow } from "@/lib/campaigns/campaign-counters-sql";
import { logger } from "@/lib/logger";
import { inTransaction } from "@/lib/pg";
import { TRANSPARENCY_OBJECTION_DRIFT_SQL, type TTransparencyDriftRow } from "@/lib/transparency/transparency-sql";

/**
 * The nightly check of the counters that campaign progress and /api/metrics read: every figure
 * recounted from the rows, and the transparency report's objection counters
 * (lib/transparency/transparency-sql.ts). A figure that disagrees is logged (`counter_drift`, a warning an
 * operator alerts on) with both values; nothing is corrected, because a counter that drifted means
 * a writer the triggers do not see, and that is what to find. Returns the figures that disagree.
 */
export const checkCounters = async ({ actor }: { actor: TActor }) => {
  assertActorKind(actor, "system");
  const { campaigns, transparency } = await inTransaction(
    async (client) => ({
      campaigns: (await client.query<TCounterDriftRow>(COUNTER_DRIFT)).rows,
      transparency: (await client.query<TTransparencyDriftRow>(TRANSPARENCY_OBJECTION_DRIFT_SQL)).rows,
    }),
    { isolation: "REPEATABLE READ" },
  );
  // The transparency report's objection counters, by country and month: one more figure each.
  const drift = [
    ...campaigns,
    ...transparency.map(({ country, month, figure, counted, recounted }) => ({ campaignId: null, figure: `transparency_${figure}_${country}_${month}`, counted, recounted })),
  ];
  for (const { campaignId, figure, counted, recounted } of drift) {
    logger().warn({ event: "counter_drift", campaignId, figure, counted: Number(counted), recounted: Number(recounted) }, "a counter disagrees with its rows");
  }
  return drift.map((row) => ({ ...row, counted: Number(row.counted), recounted: Number(row.recounted) }));
};
