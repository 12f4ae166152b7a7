import "server-only";

/** A trivial statement: the database answers, through the process's one pool. */
export const PING_SQL = `SELECT 1`;

/** The last successful export run (its columns null when none), and whether the newest finished run failed. */
export type TExportHealthRow = { id: string | null; cutoff: Date | null; finishedAt: Date | null; acknowledgedAt: Date | null; lastFailed: boolean; lastError: string | null };

// Always one row, so that a system that never exported still answers.
export const EXPORT_HEALTH_SQL = `
  SELECT s.id, s.cutoff, s."finishedAt", s."acknowledgedAt", coalesce(f.status = 'failed', false) AS "lastFailed", f.error AS "lastError"
    FROM (SELECT 1) one
    LEFT JOIN LATERAL (SELECT id, cutoff, "finishedAt", "acknowledgedAt" FROM "ExportRun" WHERE status = 'succeeded' ORDER BY "finishedAt" DESC LIMIT 1) s ON true
    LEFT JOIN LATERAL (SELECT status, error FROM "ExportRun" WHERE status <> 'running' ORDER BY "finishedAt" DESC LIMIT 1) f ON true`;
