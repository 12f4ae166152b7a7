import "server-only";

import { Readable } from "node:stream";

import type pg from "pg";

import { type TExportManifest } from "@/lib/exports/export-manifest";
import { RUN_LOCK_KEY } from "@/lib/exports/export-queries";
import { exportStorageAt, type TExportStorage } from "@/lib/exports/export-storage";
import { pgPool } from "@/lib/pg";

type TQueryable = Pick<pg.Pool, "query"> | Pick<pg.PoolClient, "query">;

/** Marks every run still `running` as failed; only for a caller that holds the run lock. */
export const failDeadRuns = async ({ client, reason }: { client: TQueryable; reason: string }) => {
  const { rowCount } = await client.query(`UPDATE "ExportRun" SET status = 'failed', error = $1, "finishedAt" = now() WHERE status = 'running'`, [reason]);
  return rowCount ?? 0;
};

/**
 * A run whose process died stays `running` until someone notices. If no process holds the run
 * lock, no run is alive and every `running` run is dead; otherwise only those older than the
 * timeout are given up (their process, if alive, then fails its own commit).
 */
export const failStaleRuns = async ({ timeoutMinutes }: { timeoutMinutes: number }) => {
  const client = await pgPool().connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock($1) AS locked`, [RUN_LOCK_KEY]);
    if (rows[0]?.locked) {
      try {
        return await failDeadRuns({ client, reason: "its process stopped before it finished" });
      } finally {
        await client.query(`SELECT pg_advisory_unlock($1)`, [RUN_LOCK_KEY]);
      }
    }
    const { rowCount } = await client.query(
      `UPDATE "ExportRun" SET status = 'failed', error = $2, "finishedAt" = now() WHERE status = 'running' AND "startedAt" < now() - make_interval(mins => $1)`,
      [timeoutMinutes, `it ran longer than EXPORT_RUN_TIMEOUT_MINUTES (${timeoutMinutes})`],
    );
    return rowCount ?? 0;
  } finally {
    client.release();
  }
};

/** Writes `<run>/manifest.json`, the object that says a run is complete, and records that it is there. */
export const writeManifest = async ({ storage, manifest }: { storage: TExportStorage; manifest: TExportManifest }) => {
  await storage.put({ key: `${manifest.runId}/manifest.json`, body: Readable.from([`${JSON.stringify(manifest, null, 2)}\n`]) });
  await pgPool().query(`UPDATE "ExportRun" SET "manifestWrittenAt" = now() WHERE id = $1`, [manifest.runId]);
};

/** Writes the manifests of committed runs that storage did not take at the time. */
export const writeMissingManifests = async () => {
  const { rows } = await pgPool().query<{ location: string; manifest: TExportManifest }>(
    `SELECT location, manifest FROM "ExportRun" WHERE status = 'succeeded' AND manifest IS NOT NULL AND "manifestWrittenAt" IS NULL AND "filesDeletedAt" IS NULL`,
  );
  for (const run of rows) await writeManifest({ storage: exportStorageAt(run.location), manifest: run.manifest });
  return rows.length;
};

/**
 * Retention: the newest `keep` successful runs keep their files. An older run's files go once a
 * newer run has been acknowledged, so the pipeline is never left without the run it is applying.
 * A failed run's leftovers go once a newer run has succeeded. The ExportRun rows stay.
 */
export const deleteExpiredRunFiles = async ({ keep }: { keep: number }) => {
  const { rows } = await pgPool().query<{ id: string; location: string }>(
    `WITH kept AS (SELECT id FROM "ExportRun" WHERE status = 'succeeded' ORDER BY "finishedAt" DESC LIMIT $1)
     SELECT r.id, r.location FROM "ExportRun" r
     WHERE r."filesDeletedAt" IS NULL AND r.status <> 'running' AND r.id NOT IN (SELECT id FROM kept)
       AND (
         (r.status = 'succeeded' AND EXISTS (SELECT 1 FROM "ExportRun" a WHERE a."acknowledgedAt" IS NOT NULL AND a."finishedAt" > r."finishedAt"))
         OR (r.status = 'failed' AND EXISTS (SELECT 1 FROM "ExportRun" s WHERE s.status = 'succeeded' AND s."finishedAt" > r."startedAt"))
       )`,
    [keep],
  );
  for (const run of rows) {
    await exportStorageAt(run.location).removeRun(run.id);
    await pgPool().query(`UPDATE "ExportRun" SET "filesDeletedAt" = now() WHERE id = $1`, [run.id]);
  }
  return rows.map((run) => run.id);
};
