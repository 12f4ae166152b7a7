import "server-only";

import { FIRST_EXPORT_RUN_SQL, type TFirstExportRunRow } from "@/lib/exports/export-sql";
import { pgPool } from "@/lib/pg";

/** The first successful export that held this objection, while the current one still holds it. */
export const firstExportRun = async (objection: { id: string }) => {
  const { rows } = await pgPool().query<TFirstExportRunRow>(FIRST_EXPORT_RUN_SQL, [objection.id]);
  return rows[0] ?? null;
};
