import "server-only";

import { assertRole, type TActor } from "@/lib/auth/actor";
import type { TExportFile } from "@/lib/exports/export-manifest";
import { decodeTimeIdCursor, encodeTimeIdCursor } from "@/lib/pagination/time-id-cursor";
import { pgPool } from "@/lib/pg";

export type TExportRunRow = {
  id: string;
  kind: "snapshot" | "delta";
  status: "running" | "succeeded" | "failed";
  cutoff: Date;
  format: string;
  location: string;
  files: TExportFile[] | null;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  acknowledgedAt: Date | null;
  filesDeletedAt: Date | null;
};

export const EXPORT_RUNS_PAGE_SIZE = 20;

const SELECT_RUN = `SELECT id, CASE WHEN "previousRunId" IS NULL THEN 'snapshot' ELSE 'delta' END AS kind, status::text AS status, cutoff, format, location,
       files, error, "startedAt", "finishedAt", "acknowledgedAt", "filesDeletedAt" FROM "ExportRun"`;


/** Export runs, newest (or oldest) first, a page at a time (keyset on startedAt, id: one run a night adds up slowly, but never counts). */
export const listExportRuns = async ({ actor, after, dir = "desc", limit = EXPORT_RUNS_PAGE_SIZE }: { actor: TActor; after?: string; dir?: "asc" | "desc"; limit?: number }) => {
  assertRole(actor, "viewer");
  const cursor = decodeTimeIdCursor(after, { id: "uuid" });
  const order = dir === "asc" ? "ASC" : "DESC";
  const { rows } = await pgPool().query<TExportRunRow>(
    `${SELECT_RUN} ${cursor ? `WHERE ("startedAt", id) ${dir === "asc" ? ">" : "<"} ($2::timestamptz, $3::uuid)` : ""} ORDER BY "startedAt" ${order}, id ${order} LIMIT $1`,
    cursor ? [limit + 1, cursor.at, cursor.id] : [limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { runs: page, nextCursor: rows.length > limit && last ? encodeTimeIdCursor({ at: last.startedAt, id: last.id }) : null };
};

/** One run, for the progress of a run started from the console. */
export const exportRunById = async (id: string) => (await pgPool().query<TExportRunRow>(`${SELECT_RUN} WHERE id = $1::uuid`, [id])).rows[0] ?? null;
