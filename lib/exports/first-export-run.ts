import "server-only";

import { pgPool } from "@/lib/pg";

/** The first successful export that held this objection, while the current one still holds it. */
export const firstExportRun = async (objection: { id: string }) => {
  const { rows } = await pgPool().query<{ id: string; cutoff: Date; acknowledgedAt: Date | null }>(
    `SELECT r.id, r.cutoff, r."acknowledgedAt" FROM "ExportMember" em JOIN "ExportRun" r ON r.id = em."firstRunId" WHERE em."objectionId" = $1 AND r.status = 'succeeded'`,
    [objection.id],
  );
  return rows[0] ?? null;
};
