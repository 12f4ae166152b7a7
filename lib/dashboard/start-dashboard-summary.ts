import "server-only";

import type PgBoss from "pg-boss";

import { systemActor } from "@/lib/auth/actor";
import { computeDashboardSummary } from "@/lib/dashboard/compute-dashboard-summary";
import { QUEUES } from "@/lib/jobs";
import { logger } from "@/lib/logger";

/** Every 5 minutes; the page asks for a run itself when the figures are older than 15. */
export const DASHBOARD_SUMMARY_CRON = "*/5 * * * *";

/**
 * The worker's part in the dashboard: recompute the summary on a schedule, when a page asks, and
 * once at start so a fresh install shows figures within seconds. The queue runs one at a time.
 */
export const startDashboardSummary = async (boss: PgBoss) => {
  await boss.schedule(QUEUES.dashboardSummary.name, DASHBOARD_SUMMARY_CRON, {}, { tz: "UTC" });
  await boss.work(QUEUES.dashboardSummary.name, { pollingIntervalSeconds: 1 }, async () => {
    const { durationMs } = await computeDashboardSummary({ actor: systemActor(QUEUES.dashboardSummary.name) });
    if (durationMs > 10_000) logger().info({ event: "dashboard_summary_slow", durationMs }, "dashboard summary took over 10 s");
  });
  await boss.send(QUEUES.dashboardSummary.name, {});
};
