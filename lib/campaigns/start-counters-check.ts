import "server-only";

import type PgBoss from "pg-boss";

import { systemActor } from "@/lib/auth/actor";
import { checkCounters } from "@/lib/campaigns/check-counters";
import { checkDashboard } from "@/lib/dashboard/check-dashboard";
import { QUEUES } from "@/lib/jobs";
import { foldTransparencyShards } from "@/lib/transparency/fold-transparency-shards";

/** Once a day at a quiet hour (UTC), after the export (02:00) and the bounce prune (03:30). */
export const COUNTERS_CHECK_CRON = "45 4 * * *";

/** The worker's part in the counters: recount them (and the dashboard's) all nightly, one run at a time, and log any drift; then fold the transparency counters' past shards. */
export const startCountersCheck = async (boss: PgBoss) => {
  await boss.schedule(QUEUES.countersCheck.name, COUNTERS_CHECK_CRON, {}, { tz: "UTC" });
  await boss.work(QUEUES.countersCheck.name, { pollingIntervalSeconds: 1 }, async () => {
    await checkCounters({ actor: systemActor(QUEUES.countersCheck.name) });
    // The dashboard's counters too: the full recount is the one whole-table pass left, once a night.
    await checkDashboard({ actor: systemActor(QUEUES.countersCheck.name) });
    // The transparency report's past months, one row each, so its read stays a few rows per key.
    await foldTransparencyShards({ actor: systemActor(QUEUES.countersCheck.name) });
  });
};
