import "server-only";

import type PgBoss from "pg-boss";

import { systemActor } from "@/lib/auth/actor";
import { computeDashboardSummary } from "@/lib/dashboard/compute-dashboard-summary";
import { QUEUES } from "@/lib/jobs";
import { logger } from "@/lib/logger";

/**
 * How often each worker asks for a refresh. The queue is "stately" (at most one job waiting and
 * one running, cluster-wide), so any number of workers make one refresh at a time, and the figures
 * are never more than about twice this old (a wait behind the running one, then its run).
 */
export const DASHBOARD_REFRESH_EVERY_MS = 20_000;

export const DASHBOARD_SUMMARY_CRON = "* * * * *";

const requestRefresh = async (boss: PgBoss) => {
  try {
    await boss.send(QUEUES.dashboardSummary.name, {});
  } catch (error) {
    logger().warn({ event: "dashboard_refresh_failed", error }, "could not ask for fresh figures");
  }
};

/**
 * The worker's part in the dashboard: refresh the summary from what changed (compute-dashboard-summary.ts)
 * every 20 s, when a page asks, and once at start. pg-boss's cron runs at most once a minute, hence the timer.
 */
export const startDashboardSummary = async (boss: PgBoss) => {
  // Every minute as well, should a worker's timer stop; it replaces the old five-minute schedule.
  await boss.schedule(QUEUES.dashboardSummary.name, DASHBOARD_SUMMARY_CRON, {}, { tz: "UTC" });
  await boss.work(QUEUES.dashboardSummary.name, { pollingIntervalSeconds: 1 }, async () => {
    const { durationMs, changes } = await computeDashboardSummary({ actor: systemActor(QUEUES.dashboardSummary.name) });
    if (durationMs > 10_000) logger().info({ event: "dashboard_summary_slow", durationMs, changes }, "dashboard summary took over 10 s");
  });
  await requestRefresh(boss);
  // Unref'd: the timer never keeps a stopping worker alive.
  setInterval(() => void requestRefresh(boss), DASHBOARD_REFRESH_EVERY_MS).unref();
};
