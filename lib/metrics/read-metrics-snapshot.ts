import "server-only";

import { exportHealth } from "@/lib/health/export-health";
import { jobs, QUEUES } from "@/lib/jobs";
import { COUNTED_EVENTS, type TCountedEvent } from "@/lib/metrics/count-events";
import { pgPool } from "@/lib/pg";

export type TMetricsSnapshot = {
  objections: { status: string; count: number }[];
  emails: { kind: "notice" | "receipt"; outcome: "sent" | "failed"; count: number }[];
  queues: { queue: string; waiting: number; oldestWaitingSeconds: number }[];
  export: { ageSeconds: number | null; acknowledged: boolean; lastRunFailed: boolean };
  /** Running totals of lib/metrics/count-events.ts, every known event (0 before the first). */
  events: { event: TCountedEvent; count: number }[];
};

// One round trip. Objections and emails come from counters that triggers keep in the statements
// that change the rows (migration metric_counters): a few rows, whatever the tables hold, and every
// worker's sends count, not just this process's.
const SNAPSHOT_SQL = `
  SELECT
    (SELECT coalesce(jsonb_agg(jsonb_build_object('status', status, 'count', n)), '[]')
       FROM (SELECT status::text, sum(count)::bigint AS n FROM "ObjectionStatusCounter" GROUP BY status) o) AS objections,
    (SELECT coalesce(jsonb_agg(jsonb_build_object('kind', kind, 'outcome', outcome, 'count', n)), '[]')
       FROM (SELECT kind::text, outcome::text, sum(count)::bigint AS n FROM "EmailCounter" GROUP BY kind, outcome) e) AS emails,
    -- Per queue, a bounded read of pg-boss's index on waiting jobs (name, start_after): at most
    -- QUEUE_DEPTH_CAP entries counted, and the age of the job due first. A backlog of 260,000
    -- campaign batches costs a scrape no more than one of 10,000.
    (SELECT coalesce(jsonb_agg(jsonb_build_object('queue', q.name, 'waiting', w.n, 'oldestWaitingSeconds', o.age)), '[]')
       FROM unnest($1::text[]) AS q(name)
       CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM (SELECT 1 FROM pgboss.job j WHERE j.name = q.name AND j.state < 'active' LIMIT $2) x) w
       CROSS JOIN LATERAL (SELECT extract(epoch FROM now() - j.created_on)::float AS age FROM pgboss.job j
                             WHERE j.name = q.name AND j.state < 'active' ORDER BY j.start_after LIMIT 1) o) AS queues,
    (SELECT coalesce(jsonb_object_agg(event, count), '{}') FROM "EventCounter") AS events`;

/** The most waiting jobs a scrape counts per queue: a larger backlog reads as this figure. */
export const QUEUE_DEPTH_CAP = 10_000;

const EMAIL_SERIES = [
  { kind: "notice", outcome: "sent" },
  { kind: "notice", outcome: "failed" },
  { kind: "receipt", outcome: "sent" },
  { kind: "receipt", outcome: "failed" },
] as const;

type TSnapshotRow = {
  objections: TMetricsSnapshot["objections"];
  emails: TMetricsSnapshot["emails"];
  queues: TMetricsSnapshot["queues"];
  events: Record<string, number>;
};

/** What /api/metrics reports, read from the database: the same figures whichever instance is scraped. */
export const readMetricsSnapshot = async (): Promise<TMetricsSnapshot> => {
  // pg-boss makes its tables when it first starts; started once per process.
  await jobs();
  const [{ rows }, exported] = await Promise.all([pgPool().query<TSnapshotRow>(SNAPSHOT_SQL, [Object.values(QUEUES).map(({ name }) => name), QUEUE_DEPTH_CAP]), exportHealth()]);
  const row = rows[0] ?? { objections: [], emails: [], queues: [], events: {} };
  return {
    objections: row.objections,
    // Every series, 0 before the first such email: a scraper sees each one from the start.
    emails: EMAIL_SERIES.map(({ kind, outcome }) => ({ kind, outcome, count: Number(row.emails.find((email) => email.kind === kind && email.outcome === outcome)?.count ?? 0) })),
    queues: row.queues,
    export: { ageSeconds: exported.ageSeconds, acknowledged: exported.acknowledged, lastRunFailed: exported.lastRunFailed },
    // bigint arrives as a number in JSON; a counter past 2^53 is not a concern.
    events: COUNTED_EVENTS.map((event) => ({ event, count: Number(row.events[event] ?? 0) })),
  };
};
