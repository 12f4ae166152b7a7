import "server-only";

import { createReadStream } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";

import { z } from "zod";

import { EXPORT_SCHEMA_VERSION, type TExportManifest } from "@/lib/exports/run-export";
import type { TExportFile, TExportFormat } from "@/lib/exports/write-export-file";
import { pgPool } from "@/lib/pg";

type TRunRow = { id: string; cutoff: Date; previousRunId: string | null; previousCutoff: Date | null; format: string; directory: string; files: TExportFile[]; acknowledgedAt: Date | null };

const RUN_COLUMNS = `id, cutoff, "previousRunId", "previousCutoff", format, directory, files, "acknowledgedAt"`;

const toManifest = (run: TRunRow): TExportManifest => ({
  runId: run.id,
  schemaVersion: EXPORT_SCHEMA_VERSION,
  cutoff: run.cutoff.toISOString(),
  previousRunId: run.previousRunId,
  previousCutoff: run.previousCutoff?.toISOString() ?? null,
  format: run.format as TExportFormat,
  files: run.files,
});

/** The manifest of the newest successful run, or null before the first one. */
export const latestManifest = async () => {
  const { rows } = await pgPool().query<TRunRow>(`SELECT ${RUN_COLUMNS} FROM "ExportRun" WHERE status = 'succeeded' ORDER BY cutoff DESC, "finishedAt" DESC LIMIT 1`);
  return rows[0] ? { ...toManifest(rows[0]), acknowledgedAt: rows[0].acknowledgedAt?.toISOString() ?? null } : null;
};

const successfulRun = async (runId: string) => {
  if (!z.uuid().safeParse(runId).success) return null;
  const { rows } = await pgPool().query<TRunRow>(`SELECT ${RUN_COLUMNS} FROM "ExportRun" WHERE id = $1 AND status = 'succeeded'`, [runId]);
  return rows[0] ?? null;
};

/** A file of a successful run, by the name its manifest gives: never a path the caller chose. */
export const exportFile = async ({ runId, name }: { runId: string; name: string }) => {
  const run = await successfulRun(runId);
  const file = run?.files.find((candidate) => candidate.name === name);
  if (!run || !file) return null;
  return { file, stream: () => Readable.toWeb(createReadStream(path.join(run.directory, run.id, file.name))) as ReadableStream };
};

/** Records that the pipeline applied a run; the first acknowledgement counts. */
export const acknowledgeRun = async (runId: string) => {
  if (!z.uuid().safeParse(runId).success) return null;
  const { rows } = await pgPool().query<{ id: string; acknowledgedAt: Date }>(
    `UPDATE "ExportRun" SET "acknowledgedAt" = COALESCE("acknowledgedAt", now()) WHERE id = $1 AND status = 'succeeded' RETURNING id, "acknowledgedAt"`,
    [runId],
  );
  return rows[0] ?? null;
};
