import "server-only";

import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";

import { readMetricsSnapshot, type TMetricsSnapshot } from "@/lib/metrics/read-metrics-snapshot";

/** Scrapes within this long share one read: several Prometheus servers cost the database one query. */
const SNAPSHOT_TTL_MS = 10_000;

const globalForMetrics = globalThis as unknown as { metricsRegistry?: Registry; metricsSnapshot?: { at: number; value: Promise<TMetricsSnapshot> } };

const snapshot = () => {
  const cached = globalForMetrics.metricsSnapshot;
  if (cached && Date.now() - cached.at < SNAPSHOT_TTL_MS) return cached.value;
  const value = readMetricsSnapshot();
  globalForMetrics.metricsSnapshot = { at: Date.now(), value };
  // A failed read is not kept: the next scrape tries again.
  value.catch(() => (globalForMetrics.metricsSnapshot = undefined));
  return value;
};

const createRegistry = () => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "objection_web_" });

  new Gauge({
    name: "objection_objections",
    help: "Objections by status (effective, withdrawn, rejected).",
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const { status, count } of (await snapshot()).objections) this.set({ status }, count);
    },
  });
  new Gauge({
    name: "objection_emails",
    help: "Emails recorded as sent or failed: campaign notices (by notification status) and receipts (by audit event).",
    labelNames: ["kind", "outcome"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const { kind, outcome, count } of (await snapshot()).emails) this.set({ kind, outcome }, count);
    },
  });
  new Gauge({
    name: "objection_job_queue_depth",
    help: "Jobs waiting to run (created or waiting to retry), by queue.",
    labelNames: ["queue"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const { queue, waiting } of (await snapshot()).queues) this.set({ queue }, waiting);
    },
  });
  new Gauge({
    name: "objection_job_queue_oldest_seconds",
    help: "Age of the oldest waiting job, by queue.",
    labelNames: ["queue"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const { queue, oldestWaitingSeconds } of (await snapshot()).queues) this.set({ queue }, oldestWaitingSeconds);
    },
  });
  new Gauge({
    name: "objection_export_age_seconds",
    help: "Seconds since the last successful nightly export finished; absent before the first.",
    registers: [registry],
    async collect() {
      this.reset();
      const { ageSeconds } = (await snapshot()).export;
      if (ageSeconds !== null) this.set(ageSeconds);
    },
  });
  new Gauge({
    name: "objection_export_acknowledged",
    help: "1 when the training pipeline acknowledged the last successful export, else 0.",
    registers: [registry],
    async collect() {
      this.set((await snapshot()).export.acknowledged ? 1 : 0);
    },
  });
  new Gauge({
    name: "objection_export_last_run_failed",
    help: "1 when the newest finished export run failed, else 0.",
    registers: [registry],
    async collect() {
      this.set((await snapshot()).export.lastRunFailed ? 1 : 0);
    },
  });
  new Counter({
    name: "objection_events_total",
    help: "Events that leave no row of their own, by event: bounce reports dropped (bad MAC, too old, not quoting the notice, old format past its grace) and link requests refused at the global ceiling.",
    labelNames: ["event"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const { event, count } of (await snapshot()).events) this.inc({ event }, count);
    },
  });
  const webhookGauge = ({ name, help, value }: { name: string; help: string; value: (row: TMetricsSnapshot["webhooks"][number]) => number }) =>
    new Gauge({
      name,
      help,
      labelNames: ["endpoint"],
      registers: [registry],
      async collect() {
        this.reset();
        for (const row of (await snapshot()).webhooks) this.set({ endpoint: row.endpoint }, value(row));
      },
    });
  webhookGauge({ name: "objection_webhook_endpoint_disabled", help: "1 when the webhook endpoint was disabled after failing for 3 days, else 0.", value: (row) => (row.disabled ? 1 : 0) });
  webhookGauge({ name: "objection_webhook_endpoint_failing_seconds", help: "Seconds since the webhook endpoint's first failure since its last success; 0 while it succeeds.", value: (row) => row.failingSeconds });
  webhookGauge({ name: "objection_webhook_pending_deliveries", help: "Webhook deliveries not yet acknowledged, by endpoint (counted up to 10,000).", value: (row) => row.pending });
  const chainGauge = ({ name, help, value }: { name: string; help: string; value: (row: TMetricsSnapshot["auditChains"][number]) => number }) =>
    new Gauge({
      name,
      help,
      labelNames: ["chain"],
      registers: [registry],
      async collect() {
        this.reset();
        for (const row of (await snapshot()).auditChains) this.set({ chain: row.chain }, value(row));
      },
    });
  chainGauge({ name: "objection_audit_unchained_rows", help: "Audit rows not yet in their table's hash chain, by chain (AuditEvent, ObjectionEvent; counted up to 10,000).", value: (row) => row.unchained });
  chainGauge({ name: "objection_audit_oldest_unchained_seconds", help: "Age of the oldest audit row not yet in its hash chain, by chain; 0 when every row is chained. Past a minute, the worker's chainer is not running.", value: (row) => row.oldestSeconds });
  return registry;
};

/** The process's registry, made once. */
export const metricsRegistry = () => (globalForMetrics.metricsRegistry ??= createRegistry());
