import "server-only";

import { assertRole, type TActor } from "@/lib/auth/actor";
import { EXPORT_RUN_BY_ID_SQL, listExportRunsSql, type TExportRunRow } from "@/lib/exports/export-sql";
import { decodeTimeIdCursor, encodeTimeIdCursor } from "@/lib/pagination/time-id-cursor";
import { pgPool } from "@/lib/pg";

export type { TExportRunRow };

export const EXPORT_RUNS_PAGE_SIZE = 20;

/** Export runs, newest (or oldest) first, a page at a time (keyset on startedAt, id: one run a night adds up slowly, but never counts). */
export const listExportRuns = async ({ actor, after, dir = "desc", limit = EXPORT_RUNS_PAGE_SIZE }: { actor: TActor; after?: string; dir?: "asc" | "desc"; limit?: number }) => {
  assertRole(actor, "viewer");
  const cursor = decodeTimeIdCursor(after, { id: "uuid" });
  const { rows } = await pgPool().query<TExportRunRow>(listExportRunsSql({ after: !!cursor, ascending: dir === "asc" }), cursor ? [limit + 1, cursor.at, cursor.id] : [limit + 1]);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { runs: page, nextCursor: rows.length > limit && last ? encodeTimeIdCursor({ at: last.startedAt, id: last.id }) : null };
};

/** One run, for the progress of a run started from the console. */
export const exportRunById = async (id: string) => (await pgPool().query<TExportRunRow>(EXPORT_RUN_BY_ID_SQL, [id])).rows[0] ?? null;
