import "server-only";

import { exportHealth } from "@/lib/health/export-health";
import { jobs } from "@/lib/jobs";
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

// One round trip for the figures that come from tables. Emails are counted from what was recorded
// (a notice's status, a receipt's event), so every worker's sends count, not just this process's.
const SNAPSHOT_SQL = `
  SELECT
    (SELECT coalesce(jsonb_agg(jsonb_build_object('status', status, 'count', n)), '[]')
       FROM (SELECT status::text, count(*)::int AS n FROM "Objection" GROUP BY status) o) AS objections,
    (SELECT coalesce(jsonb_agg(jsonb_build_object('kind', 'notice', 'outcome', status, 'count', n)), '[]')
       FROM (SELECT status::text, count(*)::int AS n FROM "Notification"
              WHERE channel = 'email' AND status IN ('sent', 'seen', 'clicked', 'failed')
              GROUP BY status) e) AS notices,
    (SELECT coalesce(jsonb_agg(jsonb_build_object('kind', 'receipt', 'outcome', CASE type WHEN 'receipt_sent' THEN 'sent' ELSE 'failed' END, 'count', n)), '[]')
       FROM (SELECT type::text, count(*)::int AS n FROM "ObjectionEvent" WHERE type IN ('receipt_sent', 'receipt_failed') GROUP BY type) r) AS receipts,
    (SELECT coalesce(jsonb_agg(jsonb_build_object('queue', name, 'waiting', n, 'oldestWaitingSeconds', age)), '[]')
       FROM (SELECT name, count(*)::int AS n, extract(epoch FROM now() - min(created_on))::float AS age
               FROM pgboss.job WHERE state IN ('created', 'retry') GROUP BY name) q) AS queues,
    (SELECT coalesce(jsonb_object_agg(event, count), '{}') FROM "EventCounter") AS events`;

type TSnapshotRow = {
  objections: TMetricsSnapshot["objections"];
  notices: { kind: "notice"; outcome: string; count: number }[];
  receipts: TMetricsSnapshot["emails"];
  queues: TMetricsSnapshot["queues"];
  events: Record<string, number>;
};

/** What /api/metrics reports, read from the database: the same figures whichever instance is scraped. */
export const readMetricsSnapshot = async (): Promise<TMetricsSnapshot> => {
  // pg-boss makes its tables when it first starts; started once per process.
  await jobs();
  const [{ rows }, exported] = await Promise.all([pgPool().query<TSnapshotRow>(SNAPSHOT_SQL), exportHealth()]);
  const row = rows[0] ?? { objections: [], notices: [], receipts: [], queues: [], events: {} };
  // A notice seen or clicked was sent first: all three are "sent".
  const noticesSent = row.notices.filter((notice) => notice.outcome !== "failed").reduce((sum, notice) => sum + notice.count, 0);
  const noticesFailed = row.notices.find((notice) => notice.outcome === "failed")?.count ?? 0;
  return {
    objections: row.objections,
    emails: [{ kind: "notice", outcome: "sent", count: noticesSent }, { kind: "notice", outcome: "failed", count: noticesFailed }, ...row.receipts],
    queues: row.queues,
    export: { ageSeconds: exported.ageSeconds, acknowledged: exported.acknowledged, lastRunFailed: exported.lastRunFailed },
    // bigint arrives as a number in JSON; a counter past 2^53 is not a concern.
    events: COUNTED_EVENTS.map((event) => ({ event, count: Number(row.events[event] ?? 0) })),
  };
};
