import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { composeDashboardSummary } from "@/lib/dashboard/compose-dashboard-summary";
import { CHANGE_BATCH, DASHBOARD_LOCK_SQL, REFRESH_NOTICE_COUNTERS_SQL } from "@/lib/dashboard/dashboard-counters-sql";
import { countedDashboardFigures } from "@/lib/dashboard/dashboard-figures";
import { db } from "@/lib/db";
import { inTransaction } from "@/lib/pg";

/** A refresh recounts at most this many batches of changes; what is left waits for the next one (seconds later). */
const MAX_BATCHES = 20;

/**
 * Brings the notice counters up to date with the change log, one bounded transaction at a time,
 * and returns how many change rows it took. One refresh at a time (an advisory lock), so two never
 * count a member's change twice.
 */
export const refreshNoticeCounters = async () => {
  let total = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const taken = await inTransaction(async (client) => {
      await client.query(DASHBOARD_LOCK_SQL);
      const { rows } = await client.query<{ taken: string }>(REFRESH_NOTICE_COUNTERS_SQL, [CHANGE_BATCH]);
      return Number(rows[0]!.taken);
    });
    total += taken;
    if (taken < CHANGE_BATCH) break;
  }
  return total;
};

/**
 * Refreshes the single "DashboardSummary" row the page reads. Nothing here grows with the tables:
 * triggers keep the member and objection counters exact as rows change, the members whose notice
 * figures may have moved are recounted from the change log (an index range each), and the summary
 * is composed from the counters (a few rows per country and day). The worker runs it every 20 s
 * (a system actor); the nightly check (check-dashboard.ts) recounts everything and logs any drift.
 */
export const computeDashboardSummary = async ({ actor, now = new Date() }: { actor: TActor; now?: Date }) => {
  assertActorKind(actor, "system");
  const started = performance.now();
  const changes = await refreshNoticeCounters();
  const figures = await inTransaction((client) => countedDashboardFigures(client, now), { isolation: "REPEATABLE READ" });
  const data = composeDashboardSummary({ figures, now });
  const durationMs = Math.round(performance.now() - started);
  // computedAt is when the refresh began: every change committed before it is in the figures.
  await db().dashboardSummary.upsert({ where: { id: 1 }, create: { id: 1, data, computedAt: now, durationMs }, update: { data, computedAt: now, durationMs } });
  return { data, computedAt: now, durationMs, changes };
};
