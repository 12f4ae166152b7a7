import "server-only";

import { createHmac, type KeyObject } from "node:crypto";

import { readChainHeads } from "@/lib/audit/read-chain-heads";
import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors/app-error";
import { copyExportFile } from "@/lib/exports/copy-export-file";
import { EXPORT_SCHEMA_VERSION, signManifest, type TExportFile, type TExportFormat, type TExportManifest } from "@/lib/exports/export-manifest";
import {
  FAIL_RUN_SQL,
  FINISH_RUN_SQL,
  LOCK_RUNS_SQL,
  PREVIOUS_RUN_SQL,
  START_RUN_SQL,
  type TPreviousRunRow,
  type TStartedRunRow,
  UNLOCK_RUNS_SQL,
} from "@/lib/exports/export-sql";
import {
  deltaSql,
  deltaStatsSql,
  RUN_LOCK_KEY,
  SNAPSHOT_SQL,
  stageRunSql,
} from "@/lib/exports/export-run-sql";
import type { TExportStorage } from "@/lib/exports/export-storage";
import { failDeadRuns, writeManifest } from "@/lib/exports/export-housekeeping";
import { writeExportFile } from "@/lib/exports/write-export-file";
import { connectDirect } from "@/lib/pg";
import { logger } from "@/lib/logger";

type TRunExport = {
  /** A job: the nightly export, or the CLI as `export-cli`. An admin's "start export now" queues the nightly job. */
  actor: TActor;
  storage: TExportStorage;
  format: TExportFormat;
  hashKey: string;
  hashKeyId: string;
  signingKey: KeyObject;
  /**
   * The exporter's "now"; the database's clock when absent. It never decides what the chain holds:
   * it only holds back, for the next run, objections that take effect after it.
   */
  cutoff?: Date;
  onProgress?: (rows: number) => void;
};

const hashKeyCheckOf = (hashKey: string) => createHmac("sha256", hashKey).update("objection export hash key check").digest("hex").slice(0, 16);

/**
 * One export run. Under a lock, in one REPEATABLE READ transaction: consume the pending marks the
 * snapshot sees, compute the delta against what the previous run's snapshot held, apply it to
 * "ExportMember", and stream `snapshot.<ext>` (ExportMember after the delta) and `delta.<ext>`
 * to storage. The signed manifest is stored with the run in the same commit, then written to
 * storage last; a crash before that commit leaves the chain as it was.
 */
export const runExport = async ({ actor, storage, format, hashKey, hashKeyId, signingKey, cutoff, onProgress }: TRunExport): Promise<TExportManifest> => {
  assertActorKind(actor, "system");
  // A session of its own on PostgreSQL itself: the lock is held across transactions, and the
  // temporary tables want temp_buffers set at the session's start (lib/pg.ts).
  const client = await connectDirect();
  let runId: string | undefined;
  let broken = false;
  try {
    await client.query(LOCK_RUNS_SQL, [RUN_LOCK_KEY]);
    // We hold the lock, so any run still marked running has lost its process.
    await failDeadRuns({ client, reason: "its process stopped before it finished" });
    const inserted = await client.query<TStartedRunRow>(START_RUN_SQL, [cutoff ?? null, format, storage.location]);
    runId = inserted.rows[0]!.id;
    const runCutoff = inserted.rows[0]!.cutoff;

    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
    const previous = (await client.query<TPreviousRunRow>(PREVIOUS_RUN_SQL)).rows[0];
    const previousLastSeq = previous?.lastSeq ?? "0";
    // Big joins and sorts of a full run stay in memory rather than spilling to many small batches.
    await client.query(`SET LOCAL work_mem = '128MB'`);
    const hashKeyCheck = hashKeyCheckOf(hashKey);
    if (previous && previous.hashKeyId === hashKeyId && previous.hashKeyCheck && previous.hashKeyCheck !== hashKeyCheck) {
      // New hashes under the old id would mix two keys in one chain without the pipeline knowing.
      throw new AppError("not_configured", { message: `EXPORT_HASH_KEY changed but EXPORT_HASH_KEY_ID is still "${hashKeyId}": give the new key a new EXPORT_HASH_KEY_ID.` });
    }
    // A new chain starts from nothing; a new hash key re-reads every objection against what the chain holds.
    const fresh = !previous;
    const full = fresh || previous.hashKeyId !== hashKeyId;
    for (const statement of stageRunSql({ fresh, full, hashKey, cutoff: runCutoff, runId, previousLastSeq })) await client.query(statement.text, statement.values);
    const stats = (await client.query<{ rows: number; lastSeq: string }>(deltaStatsSql({ fresh }), [previousLastSeq])).rows[0]!;

    const write = (sql: string, kind: TExportFile["kind"], onRows?: (rows: number) => void) => {
      const name = `${kind}.${format}`;
      const file = { client, sql, storage, key: `${runId}/${name}`, name, kind, onRows };
      return format === "csv" ? copyExportFile(file) : writeExportFile({ ...file, format });
    };
    // In the run's snapshot: the log as far as it was chained when the run began.
    const auditChainHeads = await readChainHeads(client);
    const snapshot = await write(SNAPSHOT_SQL, "snapshot", onProgress);
    const delta = await write(deltaSql({ fresh }), "delta");

    const manifest = signManifest({
      privateKey: signingKey,
      manifest: {
        schemaVersion: EXPORT_SCHEMA_VERSION,
        runId,
        previousRunId: previous?.id ?? null,
        cutoff: runCutoff.toISOString(),
        previousCutoff: previous?.cutoff.toISOString() ?? null,
        format,
        hashKeyId,
        previousLastSeq: Number(previousLastSeq),
        lastSeq: Number(stats.lastSeq),
        files: [snapshot, delta],
        auditChainHeads,
      },
    });
    const finished = await client.query(FINISH_RUN_SQL, [
      runId,
      manifest.previousRunId,
      previous?.cutoff ?? null,
      JSON.stringify(manifest.files),
      JSON.stringify(manifest),
      hashKeyId,
      stats.lastSeq,
      hashKeyCheck,
    ]);
    if (finished.rowCount !== 1) throw new Error("the run was marked failed while it ran (EXPORT_RUN_TIMEOUT_MINUTES)");
    await client.query("COMMIT");
    // Committed: the run has succeeded. If storage refuses the manifest now, the next run or
    // worker start writes it from the copy kept with the run.
    await writeManifest({ storage, manifest }).catch((error: unknown) =>
      logger().warn({ event: "export_manifest_pending", runId: manifest.runId, error }, "manifest.json not written yet; it will be retried"),
    );
    return manifest;
  } catch (error) {
    broken = true;
    await client.query("ROLLBACK").catch(() => undefined);
    if (runId) {
      await client
        .query(FAIL_RUN_SQL, [
          runId,
          error instanceof Error ? error.message.slice(0, 500) : "unknown error",
        ])
        .catch(() => undefined);
    }
    throw error;
  } finally {
    await client.query(UNLOCK_RUNS_SQL, [RUN_LOCK_KEY]).catch(() => undefined);
    // A connection that failed mid-COPY is not handed to anyone else.
    client.release(broken);
  }
};
