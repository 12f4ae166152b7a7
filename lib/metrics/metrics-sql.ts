import "server-only";

// One statement for any number of events: a batch of reports adds its drops in one round trip.
export const COUNT_EVENTS_SQL = `
INSERT INTO "EventCounter" (event, count)
SELECT e.event, e.n FROM unnest($1::text[], $2::bigint[]) AS e(event, n) WHERE e.n > 0
ORDER BY e.event
ON CONFLICT (event) DO UPDATE SET count = "EventCounter".count + EXCLUDED.count`;

// One round trip. Objections and emails come from counters that triggers keep in the statements
// that change the rows (migrations metric_counters; objections by status are the dashboard's counts,
// dashboard_counters): a few rows, whatever the tables hold, and every
// worker's sends count, not just this process's.
export const METRICS_SNAPSHOT_SQL = `
  SELECT
    (SELECT coalesce(jsonb_agg(jsonb_build_object('status', status, 'count', n)), '[]')
       FROM (SELECT status::text, sum(count)::bigint AS n FROM "DashboardObjectionCounter" GROUP BY status) o) AS objections,
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
    (SELECT coalesce(jsonb_object_agg(event, count), '{}') FROM "EventCounter") AS events,
    -- Per webhook endpoint (at most a handful): disabled or not, how long it has been failing, and its
    -- pending deliveries, a bounded read of the partial index of pending ones (at most QUEUE_DEPTH_CAP).
    (SELECT coalesce(jsonb_agg(jsonb_build_object('endpoint', e.id, 'disabled', e."disabledAt" IS NOT NULL,
                                                  'failingSeconds', coalesce(extract(epoch FROM now() - e."failingSince")::float, 0), 'pending', p.n)), '[]')
       FROM "WebhookEndpoint" e
       CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM (SELECT 1 FROM "WebhookDelivery" d WHERE d."endpointId" = e.id AND d.status = 'pending' LIMIT $2) x) p) AS webhooks`;

/** The most waiting jobs a scrape counts per queue: a larger backlog reads as this figure. */
export const QUEUE_DEPTH_CAP = 10_000;

export type TMetricsSnapshotRow = {
  objections: { status: string; count: number }[];
  emails: { kind: "notice" | "receipt"; outcome: "sent" | "failed"; count: number }[];
  queues: { queue: string; waiting: number; oldestWaitingSeconds: number }[];
  events: Record<string, number>;
  webhooks: { endpoint: string; disabled: boolean; failingSeconds: number; pending: number }[];
};
