import "server-only";

/** An export job as pg-boss holds it. */
export type TExportJobRow = { state: string; startedOn: Date | null; completedOn: Date | null; output: { message?: string; value?: { message?: string } } | null };

/** Job $1 of queue $2. pg-boss moves finished jobs to its archive after a while; either table answers. */
export const EXPORT_JOB_SQL = `SELECT state::text AS state, started_on AS "startedOn", completed_on AS "completedOn", output FROM pgboss.job WHERE id = $1::uuid AND name = $2
  UNION ALL SELECT state::text, started_on, completed_on, output FROM pgboss.archive WHERE id = $1::uuid AND name = $2 LIMIT 1`;

/**
 * Serialises starting an export from the console: the second of two clicks sees the first's job.
 * It selects a constant, not the lock function's void, which Prisma's raw results cannot carry.
 */
export const LOCK_EXPORT_START_SQL = `SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('objection:export-start'))`;

/** The newest job of queue $1 that is waiting or under way. */
export type TPendingExportJobRow = { id: string };

export const PENDING_EXPORT_JOB_SQL = `
  SELECT id::text AS id FROM pgboss.job
   WHERE name = $1 AND state IN ('created', 'retry', 'active')
   ORDER BY created_on DESC LIMIT 1`;
