import type pg from "pg";

// A campaign's progress as the database holds it, read by fault tests that break its workers.

/** The campaign's status and its notices counted by status. */
export const campaignState = async ({ pool, id }: { pool: pg.Pool; id: string }) => {
  const { rows } = await pool.query<{ status: string; queued: number; sent: number; failed: number }>(
    `SELECT c.status,
       count(*) FILTER (WHERE n.status = 'queued')::int AS queued,
       count(*) FILTER (WHERE n.status = 'sent')::int AS sent,
       count(*) FILTER (WHERE n.status = 'failed')::int AS failed
     FROM "Campaign" c LEFT JOIN "Notification" n ON n."campaignId" = c.id WHERE c.id = $1 GROUP BY c.status`,
    [id],
  );
  return rows[0]!;
};

/** pg-boss jobs of `queue` that meet `condition` (SQL on pgboss.job; its parameters `values` from $2). */
export const jobCount = async ({ pool, queue, condition, values = [] }: { pool: pg.Pool; queue: string; condition: string; values?: unknown[] }) =>
  (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND ${condition}`, [queue, ...values])).rows[0]!.n;
