import "server-only";

import { Readable } from "node:stream";

import { z } from "zod";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import type { TExportFile, TExportManifest } from "@/lib/exports/export-manifest";
import { CHAIN_HEAD } from "@/lib/exports/export-queries";
import { exportStorageAt } from "@/lib/exports/export-storage";
import { pgPool } from "@/lib/pg";

/** The signed manifest of the newest successful run, as stored with it, or null before the first. */
export const latestManifest = async () => {
  const { rows } = await pgPool().query<{ manifest: TExportManifest; acknowledgedAt: Date | null }>(
    `SELECT r.manifest, r."acknowledgedAt" FROM "ExportRun" r WHERE ${CHAIN_HEAD} AND r.manifest IS NOT NULL`,
  );
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
  const { rows } = await pgPool().query<{ id: string; location: string; files: TExportFile[]; filesDeletedAt: Date | null }>(
    `SELECT id, location, files, "filesDeletedAt" FROM "ExportRun" WHERE id = $1 AND status = 'succeeded'`,
    [runId],
  );
  const run = rows[0];
  const file = run?.files.find((candidate) => candidate.name === name);
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

/** Records that the pipeline applied a run; the first acknowledgement counts. Only the platform's pipeline acknowledges. */
export const acknowledgeRun = async ({ actor, runId }: { actor: TActor; runId: string }) => {
  assertActorKind(actor, "platform");
  if (!z.uuid().safeParse(runId).success) return null;
  const { rows } = await pgPool().query<{ id: string; acknowledgedAt: Date }>(
    `UPDATE "ExportRun" SET "acknowledgedAt" = COALESCE("acknowledgedAt", now()) WHERE id = $1 AND status = 'succeeded' RETURNING id, "acknowledgedAt"`,
    [runId],
  );
  return rows[0] ?? null;
};
