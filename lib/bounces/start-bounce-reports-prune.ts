import "server-only";

import type PgBoss from "pg-boss";

import { systemActor } from "@/lib/auth/actor";
import { pruneBounceReports } from "@/lib/bounces/prune-bounce-reports";
import { pruneDomainWindows } from "@/lib/bounces/prune-domain-windows";
import { QUEUES } from "@/lib/jobs";
import { logger } from "@/lib/logger";

/** Once a day, at a quiet hour (UTC), away from the nightly export's default of 02:00. */
export const BOUNCE_REPORTS_PRUNE_CRON = "30 3 * * *";

/** Every hour: the per-domain counts a domain's pause is read from cover the last hour only. */
const DOMAIN_WINDOWS_PRUNE_CRON = "17 * * * *";

/**
 * The worker's part in bounces: delete the soft reports kept past their retention, once a day, and
 * the per-domain counts past their hour, hourly; each one run at a time.
 */
export const startBounceReportsPrune = async (boss: PgBoss) => {
  await boss.schedule(QUEUES.bounceReportsPrune.name, BOUNCE_REPORTS_PRUNE_CRON, {}, { tz: "UTC" });
  await boss.work(QUEUES.bounceReportsPrune.name, { pollingIntervalSeconds: 1 }, async () => {
    const deleted = await pruneBounceReports({ actor: systemActor(QUEUES.bounceReportsPrune.name) });
    if (deleted > 0) logger().info({ event: "bounce_reports_pruned", reports: deleted }, "bounce reports past their retention deleted");
  });
  await boss.schedule(QUEUES.domainWindowsPrune.name, DOMAIN_WINDOWS_PRUNE_CRON, {}, { tz: "UTC" });
  await boss.work(QUEUES.domainWindowsPrune.name, { pollingIntervalSeconds: 1 }, async () => {
    await pruneDomainWindows({ actor: systemActor(QUEUES.domainWindowsPrune.name) });
  });
};
