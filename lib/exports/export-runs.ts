import "server-only";

import { Readable } from "node:stream";

import { z } from "zod";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import type { TExportFile } from "@/lib/exports/export-manifest";
import { ACKNOWLEDGE_RUN_SQL, LATEST_MANIFEST_SQL, LOCK_ACKNOWLEDGEMENTS_SQL, REFRESH_EXPORT_MEDIANS_SQL, type TAcknowledgedRunRow, type TLatestManifestRow } from "@/lib/exports/export-sql";
import { exportStorageAt } from "@/lib/exports/export-storage";
import { inTransaction, pgPool } from "@/lib/pg";
import { EXPORT_HOURS_CAP } from "@/lib/transparency/transparency-sql";

/** The signed manifest of the newest successful run, as stored with it, or null before the first. */
export const latestManifest = async () => {
  const { rows } = await pgPool().query<TLatestManifestRow>(LATEST_MANIFEST_SQL);
  return rows[0] ? { ...rows[0].manifest, acknowledgedAt: rows[0].acknowledgedAt?.toISOString() ?? null } : null;
};

type TFileLookup =
  | { status: "found"; file: TExportFile; stream: () => Promise<ReadableStream | null> }
  | { status: "not_found" }
  | { status: "deleted" };

/**
 * A file of a successful run, by the name its manifest gives (never a path the caller chose),
 * read from the storage the run was written to, never from this host's disk unless that is it.
 */
export const exportFile = async ({ runId, name }: { runId: string; name: string }): Promise<TFileLookup> => {
  if (!z.uuid().safeParse(runId).success) return { status: "not_found" };
  const run = await db().exportRun.findFirst({ where: { id: runId, status: "succeeded" }, select: { id: true, location: true, files: true, filesDeletedAt: true } });
  // A run's list of files is JSON that only the export writes.
  const file = (run?.files as TExportFile[] | null | undefined)?.find((candidate) => candidate.name === name);
  if (!run || !file) return { status: "not_found" };
  if (run.filesDeletedAt) return { status: "deleted" };
  return {
    status: "found",
    file,
    stream: async () => {
      const body = await exportStorageAt(run.location).get(`${run.id}/${file.name}`);
      return body ? (Readable.toWeb(body) as ReadableStream) : null;
    },
  };
};

/**
 * Records that the pipeline applied a run; the first acknowledgement counts. Only the platform's
 * pipeline acknowledges. The first one also fills the transparency report's export hours, in the
 * same transaction (ACKNOWLEDGE_RUN_SQL).
 */
export const acknowledgeRun = async ({ actor, runId }: { actor: TActor; runId: string }) => {
  assertActorKind(actor, "platform");
  if (!z.uuid().safeParse(runId).success) return null;
  return inTransaction(async (client) => {
    await client.query(LOCK_ACKNOWLEDGEMENTS_SQL);
    const { rows } = await client.query<TAcknowledgedRunRow>(ACKNOWLEDGE_RUN_SQL, [runId, EXPORT_HOURS_CAP]);
    const run = rows[0];
    if (!run) return null;
    if (run.countries.length > 0) await client.query(REFRESH_EXPORT_MEDIANS_SQL, [run.countries, run.months]);
    return { id: run.id, acknowledgedAt: run.acknowledgedAt };
  });
};
