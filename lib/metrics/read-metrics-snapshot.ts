import "server-only";

import { CHAIN_LAG_SQL, type TChainLagRow } from "@/lib/audit/audit-chain-sql";
import { exportHealth } from "@/lib/health/export-health";
import { jobs, QUEUES } from "@/lib/jobs";
import { COUNTED_EVENTS, type TCountedEvent } from "@/lib/metrics/count-events";
import { METRICS_SNAPSHOT_SQL, QUEUE_DEPTH_CAP, type TMetricsSnapshotRow } from "@/lib/metrics/metrics-sql";
import { readOnReplica } from "@/lib/read-replica/read-on-replica";

export type TMetricsSnapshot = {
  objections: TMetricsSnapshotRow["objections"];
  emails: { kind: "notice" | "receipt"; outcome: "sent" | "failed"; count: number }[];
  queues: TMetricsSnapshotRow["queues"];
  export: { ageSeconds: number | null; acknowledged: boolean; lastRunFailed: boolean };
  /** Running totals of lib/metrics/count-events.ts, every known event (0 before the first). */
  events: { event: TCountedEvent; count: number }[];
  webhooks: TMetricsSnapshotRow["webhooks"];
  /** Per audit hash chain: rows not chained yet (counted up to QUEUE_DEPTH_CAP) and the oldest one's age. */
  auditChains: TChainLagRow[];
};

const EMAIL_SERIES = [
  { kind: "notice", outcome: "sent" },
  { kind: "notice", outcome: "failed" },
  { kind: "receipt", outcome: "sent" },
  { kind: "receipt", outcome: "failed" },
] as const;

/** What /api/metrics reports, read from the database (the replica when there is one): the same figures whichever instance is scraped. */
export const readMetricsSnapshot = async (): Promise<TMetricsSnapshot> => {
  // pg-boss makes its tables when it first starts; started once per process.
  await jobs();
  const [{ rows }, exported, chains] = await readOnReplica(({ pool }) =>
    Promise.all([
      pool.query<TMetricsSnapshotRow>(METRICS_SNAPSHOT_SQL, [Object.values(QUEUES).map(({ name }) => name), QUEUE_DEPTH_CAP]),
      exportHealth(pool),
      pool.query<TChainLagRow>(CHAIN_LAG_SQL, [QUEUE_DEPTH_CAP]),
    ]),
  );
  const row = rows[0] ?? { objections: [], emails: [], queues: [], events: {}, webhooks: [] };
  return {
    objections: row.objections,
    // Every series, 0 before the first such email: a scraper sees each one from the start.
    emails: EMAIL_SERIES.map(({ kind, outcome }) => ({ kind, outcome, count: Number(row.emails.find((email) => email.kind === kind && email.outcome === outcome)?.count ?? 0) })),
    queues: row.queues,
    export: { ageSeconds: exported.ageSeconds, acknowledged: exported.acknowledged, lastRunFailed: exported.lastRunFailed },
    // bigint arrives as a number in JSON; a counter past 2^53 is not a concern.
    events: COUNTED_EVENTS.map((event) => ({ event, count: Number(row.events[event] ?? 0) })),
    webhooks: row.webhooks,
    auditChains: chains.rows,
  };
};
