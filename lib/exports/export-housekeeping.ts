import "server-only";

import { Readable } from "node:stream";

import type pg from "pg";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { type TExportManifest } from "@/lib/exports/export-manifest";
import { RUN_LOCK_KEY } from "@/lib/exports/export-run-sql";
import {
  EXPIRED_RUN_FILES_SQL,
  FAIL_RUNNING_RUNS_SQL,
  FAIL_STALE_RUNS_SQL,
  MANIFESTS_PENDING_SQL,
  type TExpiredRunRow,
  type TManifestPendingRow,
  type TTryLockRow,
  TRY_LOCK_RUNS_SQL,
} from "@/lib/exports/export-sql";
import { exportStorageAt, type TExportStorage } from "@/lib/exports/export-storage";
import { inTransaction, pgPool } from "@/lib/pg";

type TQueryable = Pick<pg.Pool, "query"> | Pick<pg.PoolClient, "query">;

/** Marks every run still `running` as failed; only for a caller that holds the run lock. */
export const failDeadRuns = async ({ client, reason }: { client: TQueryable; reason: string }) => {
  const { rowCount } = await client.query(FAIL_RUNNING_RUNS_SQL, [reason]);
  return rowCount ?? 0;
};

/**
 * A run whose process died stays `running` until someone notices. If no process holds the run
 * lock, no run is alive and every `running` run is dead; otherwise only those older than the
 * timeout are given up (their process, if alive, then fails its own commit). Housekeeping, like
 * the runs themselves, is a job's (the worker's, or the CLI's).
 */
export const failStaleRuns = async ({ actor, timeoutMinutes }: { actor: TActor; timeoutMinutes: number }) => {
  assertActorKind(actor, "system");
  // A transaction's lock, so this works through PgBouncer in transaction mode (lib/pg.ts).
  return inTransaction(async (client) => {
    const { rows } = await client.query<TTryLockRow>(TRY_LOCK_RUNS_SQL, [RUN_LOCK_KEY]);
    if (rows[0]?.locked) return failDeadRuns({ client, reason: "its process stopped before it finished" });
    const { rowCount } = await client.query(FAIL_STALE_RUNS_SQL, [timeoutMinutes, `it ran longer than EXPORT_RUN_TIMEOUT_MINUTES (${timeoutMinutes})`]);
    return rowCount ?? 0;
  });
};

/** Writes `<run>/manifest.json`, the object that says a run is complete, and records that it is there. */
export const writeManifest = async ({ storage, manifest }: { storage: TExportStorage; manifest: TExportManifest }) => {
  await storage.put({ key: `${manifest.runId}/manifest.json`, body: Readable.from([`${JSON.stringify(manifest, null, 2)}\n`]) });
  await db().exportRun.updateMany({ where: { id: manifest.runId }, data: { manifestWrittenAt: new Date() } });
};

/** Writes the manifests of committed runs that storage did not take at the time. */
export const writeMissingManifests = async ({ actor }: { actor: TActor }) => {
  assertActorKind(actor, "system");
  const { rows } = await pgPool().query<TManifestPendingRow>(MANIFESTS_PENDING_SQL);
  for (const run of rows) await writeManifest({ storage: exportStorageAt(run.location), manifest: run.manifest });
  return rows.length;
};

/**
 * Retention: the newest `keep` successful runs keep their files. An older run's files go once a
 * newer run has been acknowledged, so the pipeline is never left without the run it is applying.
 * A failed run's leftovers go once a newer run has succeeded. The ExportRun rows stay.
 */
export const deleteExpiredRunFiles = async ({ actor, keep }: { actor: TActor; keep: number }) => {
  assertActorKind(actor, "system");
  const { rows } = await pgPool().query<TExpiredRunRow>(EXPIRED_RUN_FILES_SQL, [keep]);
  for (const run of rows) {
    await exportStorageAt(run.location).removeRun(run.id);
    await db().exportRun.updateMany({ where: { id: run.id }, data: { filesDeletedAt: new Date() } });
  }
  return rows.map((run) => run.id);
};
