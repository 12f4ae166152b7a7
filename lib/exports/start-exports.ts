import "server-only";

import type PgBoss from "pg-boss";

import { env } from "@/lib/env";
import { deleteExpiredRunFiles, failStaleRuns, writeMissingManifests } from "@/lib/exports/export-housekeeping";
import { ExportNotConfiguredError, exportSettings } from "@/lib/exports/export-settings";
import { runExport } from "@/lib/exports/run-export";
import { QUEUES } from "@/lib/jobs";

const SWEEP_EVERY_MS = 60_000;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The worker's part in exports: give up runs whose process died, finish manifests storage did not
 * take, run the nightly export (a singleton across workers), and apply retention after each run.
 */
export const startExports = async (boss: PgBoss) => {
  let settings: ReturnType<typeof exportSettings>;
  try {
    settings = exportSettings();
  } catch (error) {
    if (!(error instanceof ExportNotConfiguredError)) throw error;
    console.warn(`[worker] ${error.message}`);
    return;
  }
  const timeoutMinutes = env().EXPORT_RUN_TIMEOUT_MINUTES;
  const failed = await failStaleRuns({ timeoutMinutes });
  if (failed > 0) console.warn(`[worker] marked ${failed} export run(s) failed: their process stopped before they finished`);
  await writeMissingManifests().catch((error: unknown) => console.warn(`[worker] could not write a pending manifest yet: ${message(error)}`));
  setInterval(() => void failStaleRuns({ timeoutMinutes }).catch(() => undefined), SWEEP_EVERY_MS).unref();

  await boss.schedule(QUEUES.exportNightly.name, env().EXPORT_CRON, {}, { tz: "UTC" });
  await boss.work(QUEUES.exportNightly.name, { pollingIntervalSeconds: 1 }, async () => {
    await writeMissingManifests();
    const manifest = await runExport(settings);
    console.log(`[worker] export ${manifest.runId}: ${manifest.files.map((file) => `${file.name} ${file.rows} rows`).join(", ")}`);
    const deleted = await deleteExpiredRunFiles({ keep: env().EXPORT_KEEP_RUNS }).catch((error: unknown) => {
      console.warn(`[worker] retention failed, will retry after the next run: ${message(error)}`);
      return [];
    });
    if (deleted.length > 0) console.log(`[worker] retention deleted the files of ${deleted.length} older export run(s)`);
  });
};
