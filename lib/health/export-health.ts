import "server-only";

import { pgPool } from "@/lib/pg";

/** How fresh the pipeline's data is: the last successful export, its age, and whether it was applied. */
export const exportHealth = async () => {
  const { rows } = await pgPool().query<{ id: string; cutoff: Date; acknowledgedAt: Date | null }>(
    `SELECT id, cutoff, "acknowledgedAt" FROM "ExportRun" WHERE status = 'succeeded' ORDER BY cutoff DESC LIMIT 1`,
  );
  const last = rows[0];
  if (!last) return { lastRunId: null, lastCutoff: null, ageSeconds: null, acknowledged: false };
  return {
    lastRunId: last.id,
    lastCutoff: last.cutoff.toISOString(),
    ageSeconds: Math.round((Date.now() - last.cutoff.getTime()) / 1000),
    acknowledged: last.acknowledgedAt !== null,
  };
};
