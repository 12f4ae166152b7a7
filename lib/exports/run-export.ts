import "server-only";

import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";

import { copyExportFile } from "@/lib/exports/copy-export-file";
import { DELTA_SQL, EXPORT_SETTINGS_SQL, SNAPSHOT_SQL } from "@/lib/exports/export-queries";
import { type TExportFile, type TExportFormat, writeExportFile, writeParquetFile } from "@/lib/exports/write-export-file";
import { pgPool } from "@/lib/pg";

export const EXPORT_SCHEMA_VERSION = 1;

export type TExportManifest = {
  runId: string;
  schemaVersion: number;
  cutoff: string;
  previousRunId: string | null;
  previousCutoff: string | null;
  format: TExportFormat;
  files: TExportFile[];
};

type TRunExport = { outDir: string; cutoff: Date; format: TExportFormat; hashKey: string; onProgress?: (rows: number) => void };

/**
 * One export run: `<outDir>/<run id>/snapshot.<ext>` as of the cutoff, `delta.<ext>` since the
 * previous successful run, then `manifest.json` last. Every file is written under a temporary name
 * and renamed, so a crash leaves no manifest and no file that looks complete. An ExportRun row
 * records the run and its outcome.
 */
export const runExport = async ({ outDir, cutoff, format, hashKey, onProgress }: TRunExport): Promise<TExportManifest> => {
  const pool = pgPool();
  const previous = (
    await pool.query<{ id: string; cutoff: Date }>(`SELECT id, cutoff FROM "ExportRun" WHERE status = 'succeeded' AND cutoff < $1 ORDER BY cutoff DESC LIMIT 1`, [cutoff])
  ).rows[0];
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "ExportRun" (cutoff, "previousRunId", "previousCutoff", format, directory) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [cutoff, previous?.id ?? null, previous?.cutoff ?? null, format, path.resolve(outDir)],
  );
  const runId = rows[0]!.id;
  const runDir = path.join(outDir, runId);

  const client = await pool.connect();
  try {
    await mkdir(runDir, { recursive: true });
    // One snapshot for both files, so snapshot and delta agree.
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    // The first run's delta is everything: as if the previous cutoff were the beginning of time.
    await client.query(EXPORT_SETTINGS_SQL, [cutoff.toISOString(), (previous?.cutoff ?? new Date(0)).toISOString(), hashKey]);
    const write = (sql: string, kind: TExportFile["kind"], onRows?: (rows: number) => void) => {
      const file = { client, sql, dir: runDir, name: `${kind}.${format}`, kind, onRows };
      if (format === "csv") return copyExportFile(file);
      if (format === "parquet") return writeParquetFile(file);
      return writeExportFile({ ...file, format });
    };
    const snapshot = await write(SNAPSHOT_SQL, "snapshot", onProgress);
    const delta = await write(DELTA_SQL, "delta");
    await client.query("COMMIT");

    const manifest: TExportManifest = {
      runId,
      schemaVersion: EXPORT_SCHEMA_VERSION,
      cutoff: cutoff.toISOString(),
      previousRunId: previous?.id ?? null,
      previousCutoff: previous?.cutoff.toISOString() ?? null,
      format,
      files: [snapshot, delta],
    };
    const manifestPath = path.join(runDir, "manifest.json");
    await writeFile(`${manifestPath}.partial`, `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(`${manifestPath}.partial`, manifestPath);
    await pool.query(`UPDATE "ExportRun" SET status = 'succeeded', files = $2, "finishedAt" = now() WHERE id = $1`, [runId, JSON.stringify(manifest.files)]);
    return manifest;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    await pool.query(`UPDATE "ExportRun" SET status = 'failed', error = $2, "finishedAt" = now() WHERE id = $1`, [runId, error instanceof Error ? error.message.slice(0, 500) : "unknown error"]);
    throw error;
  } finally {
    client.release();
  }
};
