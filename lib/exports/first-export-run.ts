import "server-only";

import { pgPool } from "@/lib/pg";

/**
 * The first successful export that held this objection: the first run whose cutoff is at or after
 * the moment it took effect. Derived, not stored, so no run has to touch millions of objections.
 */
export const firstExportRun = async (objection: { effectiveAt: Date }) => {
  const { rows } = await pgPool().query<{ id: string; cutoff: Date; acknowledgedAt: Date | null }>(
    `SELECT id, cutoff, "acknowledgedAt" FROM "ExportRun" WHERE status = 'succeeded' AND cutoff >= $1 ORDER BY cutoff LIMIT 1`,
    [objection.effectiveAt],
  );
  return rows[0] ?? null;
};
