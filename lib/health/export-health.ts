import "server-only";

import { pgPool } from "@/lib/pg";

const STALE_AFTER_SECONDS = 26 * 60 * 60;

/**
 * How fresh the pipeline's data is: the last successful export, its age, whether it was applied,
 * and whether the newest run failed. `degraded` when the last success is over 26 hours old or
 * the newest finished run failed; a system that never exported is not degraded yet.
 */
export const exportHealth = async () => {
  const { rows } = await pgPool().query<{ id: string; cutoff: Date; finishedAt: Date; acknowledgedAt: Date | null; lastFailed: boolean; lastError: string | null }>(
    `SELECT s.id, s.cutoff, s."finishedAt", s."acknowledgedAt", coalesce(f.status = 'failed', false) AS "lastFailed", f.error AS "lastError"
     FROM (SELECT 1) one
     LEFT JOIN LATERAL (SELECT id, cutoff, "finishedAt", "acknowledgedAt" FROM "ExportRun" WHERE status = 'succeeded' ORDER BY "finishedAt" DESC LIMIT 1) s ON true
     LEFT JOIN LATERAL (SELECT status, error FROM "ExportRun" WHERE status <> 'running' ORDER BY "finishedAt" DESC LIMIT 1) f ON true`,
  );
  const row = rows[0];
  const ageSeconds = row?.finishedAt ? Math.round((Date.now() - row.finishedAt.getTime()) / 1000) : null;
  const lastFailed = row?.lastFailed ?? false;
  const stale = ageSeconds !== null && ageSeconds > STALE_AFTER_SECONDS;
  return {
    degraded: lastFailed || stale,
    lastRunId: row?.id ?? null,
    lastCutoff: row?.cutoff?.toISOString() ?? null,
    ageSeconds,
    acknowledged: row?.acknowledgedAt != null,
    lastRunFailed: lastFailed,
    ...(lastFailed ? { lastError: row?.lastError ?? null } : {}),
  };
};
