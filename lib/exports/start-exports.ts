import "server-only";

import type PgBoss from "pg-boss";

import { systemActor } from "@/lib/auth/actor";
import { env } from "@/lib/env";
import { deleteExpiredRunFiles, failStaleRuns, writeMissingManifests } from "@/lib/exports/export-housekeeping";
import { isAppError } from "@/lib/errors/app-error";
import { exportSettings } from "@/lib/exports/export-settings";
import { runExport } from "@/lib/exports/run-export";
import { QUEUES } from "@/lib/jobs";
import { logger } from "@/lib/logger";

const SWEEP_EVERY_MS = 60_000;

/**
 * The worker's part in exports: give up runs whose process died, finish manifests storage did not
 * take, run the nightly export (a singleton across workers), and apply retention after each run.
 */
export const startExports = async (boss: PgBoss) => {
  let settings: ReturnType<typeof exportSettings>;
  try {
    settings = exportSettings();
  } catch (error) {
    if (!isAppError(error, "not_configured")) throw error;
    logger().warn({ event: "export_configuration" }, error.message);
    return;
  }
  // Every step here is the nightly job's, by its rules.
  const actor = systemActor(QUEUES.exportNightly.name);
  const timeoutMinutes = env().EXPORT_RUN_TIMEOUT_MINUTES;
  const failed = await failStaleRuns({ actor, timeoutMinutes });
  if (failed > 0) logger().warn({ event: "export_runs_abandoned", runs: failed }, "export runs marked failed: their process stopped before they finished");
  await writeMissingManifests({ actor }).catch((error: unknown) => logger().warn({ event: "export_manifest_pending", error }, "could not write a pending manifest yet"));
  setInterval(() => void failStaleRuns({ actor, timeoutMinutes }).catch(() => undefined), SWEEP_EVERY_MS).unref();

  await boss.schedule(QUEUES.exportNightly.name, env().EXPORT_CRON, {}, { tz: "UTC" });
  await boss.work(QUEUES.exportNightly.name, { pollingIntervalSeconds: 1 }, async () => {
    await writeMissingManifests({ actor });
    const manifest = await runExport({ ...settings, actor });
    logger().info({ event: "export_written", runId: manifest.runId, files: manifest.files.map(({ name, rows }) => ({ name, rows })) }, "export written");
    const deleted = await deleteExpiredRunFiles({ actor, keep: env().EXPORT_KEEP_RUNS }).catch((error: unknown) => {
      logger().warn({ event: "export_retention_failed", error }, "retention failed, will retry after the next run");
      return [];
    });
    if (deleted.length > 0) logger().info({ event: "export_retention", runs: deleted.length }, "retention deleted the files of older export runs");
  });
};
