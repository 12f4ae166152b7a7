import "server-only";

import type pg from "pg";

import { EXPORT_HEALTH_SQL, type TExportHealthRow } from "@/lib/health/health-sql";
import { pgPool } from "@/lib/pg";

const STALE_AFTER_SECONDS = 26 * 60 * 60;

/**
 * How fresh the pipeline's data is: the last successful export, its age, whether it was applied,
 * and whether the newest run failed. `degraded` when the last success is over 26 hours old or
 * the newest finished run failed; a system that never exported is not degraded yet. On `pool`:
 * metrics hand it the replica's.
 */
export const exportHealth = async (pool: Pick<pg.Pool, "query"> = pgPool()) => {
  const { rows } = await pool.query<TExportHealthRow>(EXPORT_HEALTH_SQL);
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
