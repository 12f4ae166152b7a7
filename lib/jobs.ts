import { setTimeout as sleep } from "node:timers/promises";

import "server-only";

import PgBoss from "pg-boss";

import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { inTransaction, isDatabaseUnreachable, pgPool, queryWhileUnreachable } from "@/lib/pg";
import { sqlOn, type TTx } from "@/lib/pg-tx";

/** Every queue, with its retry policy. Mail goes through jobs so that an SMTP fault never blocks a request. */
export const QUEUES = {
  objectionReceipt: { name: "objection-receipt", retryLimit: 12, retryDelay: 15, retryBackoff: true },
  // The email an /object request sends: the personal links of the address's accounts, or a link
  // that objects for the address alone. Done here for every address, so the answer's timing tells nothing.
  objectionLinkRequest: { name: "objection-link-request", retryLimit: 12, retryDelay: 15, retryBackoff: true },
  // The email telling a person why their objection was rejected (after a second reviewer approved it).
  objectionRejection: { name: "objection-rejection", retryLimit: 12, retryDelay: 15, retryBackoff: true },
  objectionWithdrawal: { name: "objection-withdrawal", retryLimit: 12, retryDelay: 15, retryBackoff: true },
  // An admin sign-in link, sent by the worker so that the request does the same work for every
  // address. The job holds the live link: the worker deletes it once handled. One not run within
  // the link's 15 minutes is never run (retentionMinutes: pg-boss archives it), and retries (10 s
  // doubling, about 5 minutes) end within them; such rows hold a dead link until pg-boss deletes them.
  adminSignIn: { name: "admin-sign-in", retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 60, retentionMinutes: 15 },
  campaignAudience: { name: "campaign-audience", retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 },
  // An SMTP outage fails batches; they come back with backoff (2 s, 4 s, … capped by pg-boss) for hours.
  // A batch whose worker died is retried once it expires; rows already sent are never sent again.
  // One export at a time, however many workers are up; cron ticks are deduplicated by pg-boss.
  exportNightly: { name: "export-nightly", policy: "singleton", retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 2 * 60 * 60 },
  campaignBatch: { name: "campaign-batch", retryLimit: 60, retryDelay: 2, retryBackoff: true, expireInSeconds: 5 * 60 },
  // The dead letter of campaign send and audience jobs: pg-boss moves a job here, in the statement that fails its last retry (thrown or expired); the worker then marks the campaign failed.
  campaignFailed: { name: "campaign-failed", retryLimit: 12, retryDelay: 15, retryBackoff: true },
  // At most one waiting and one running ("stately"): page views that ask for fresh figures never pile up.
  dashboardSummary: { name: "dashboard-summary", policy: "stately", retryLimit: 2, retryDelay: 30, expireInSeconds: 15 * 60 },
  // Deletes soft bounce reports past their retention, daily; one run at a time, a missed day catches up the next.
  bounceReportsPrune: { name: "bounce-reports-prune", policy: "singleton", retryLimit: 3, retryDelay: 300, retryBackoff: true, expireInSeconds: 60 * 60 },
  // Deletes the per-domain send and rejection counts past the hour they are read for, hourly.
  domainWindowsPrune: { name: "domain-windows-prune", policy: "singleton", retryLimit: 3, retryDelay: 60, expireInSeconds: 15 * 60 },
  // Recounts every counter from its rows, nightly, and logs any that disagree (lib/campaigns/check-counters.ts).
  countersCheck: { name: "counters-check", policy: "singleton", retryLimit: 2, retryDelay: 300, expireInSeconds: 2 * 60 * 60 },
  // Deletes webhook deliveries acknowledged past their retention, and their events, daily (lib/webhooks/prune-webhook-deliveries.ts).
  webhookDeliveriesPrune: { name: "webhook-deliveries-prune", policy: "singleton", retryLimit: 3, retryDelay: 300, retryBackoff: true, expireInSeconds: 60 * 60 },
  // Checks due single sign-on sessions with the provider, every minute (lib/auth/recheck-sso-sessions.ts): at most one waiting
  // and one running, so a slow provider never piles runs up; each run claims its sessions (SKIP LOCKED) anyway.
  ssoRecheck: { name: "sso-recheck", policy: "stately", retryLimit: 1, retryDelay: 30, expireInSeconds: 10 * 60 },
} as const satisfies Record<string, PgBoss.Queue>;

export type TQueueName = (typeof QUEUES)[keyof typeof QUEUES]["name"];

const globalForBoss = globalThis as unknown as { boss?: Promise<PgBoss> };

/**
 * pg-boss's own queue for cron (its timekeeper's, created with its defaults when a worker's cron
 * starts). Created here with the others, so the timekeeper finds it and creates nothing itself.
 */
const PGBOSS_CRON_QUEUE: PgBoss.Queue = { name: "__pgboss__send-it" };

/** Serialises queue creation across processes (pg_advisory_xact_lock's key). */
const CREATE_QUEUES_LOCK_SQL = `SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('objection:pgboss-queues'))`;
const EXISTING_QUEUES_SQL = `SELECT name FROM pgboss.queue WHERE name = ANY($1::text[])`;
/** pg-boss 10's own function, with the options its createQueue passes (lib/jobs.test.ts checks they land). */
const CREATE_QUEUE_SQL = `SELECT pgboss.create_queue($1, $2::json)`;

/**
 * Creates every queue that does not exist yet, in one transaction under one lock. pg-boss's own
 * createQueue, called by two processes at once on a fresh database (a web instance's first enqueue
 * and a worker's start), deadlocks: each inserts its queue row, then adds a foreign key to the
 * queue table, which waits for the other's insert. The loser's request answered 503. Under the
 * lock, the first process creates the queues and every later one only reads that they exist.
 */
export const createQueues = async () => {
  const queues: PgBoss.Queue[] = [...Object.values(QUEUES), PGBOSS_CRON_QUEUE];
  await inTransaction(async (client) => {
    await client.query(CREATE_QUEUES_LOCK_SQL);
    const existing = new Set((await client.query<{ name: string }>(EXISTING_QUEUES_SQL, [queues.map((queue) => queue.name)])).rows.map((row) => row.name));
    for (const queue of queues) {
      if (existing.has(queue.name)) continue;
      const { name, policy = "standard", retryLimit, retryDelay, retryBackoff, expireInSeconds, retentionMinutes, deadLetter } = queue;
      await client.query(CREATE_QUEUE_SQL, [name, JSON.stringify({ policy, retryLimit, retryDelay, retryBackoff, expireInSeconds, retentionMinutes, deadLetter })]);
    }
  });
};

// No pool of its own: pg-boss's statements (single statements, or a locked multi-statement script
// sent whole) borrow from the process's one pool, inside the connection budget. It needs nothing
// per session: no LISTEN, and its locks are transaction-scoped.
const onProcessPool: PgBoss.Db = { executeSql: (text, values) => pgPool().query(text, values) };

/**
 * pg-boss's schema (made by pg-boss, under its own lock) and every queue (createQueues), before any
 * of this process's pg-boss work starts: a worker's cron creates pg-boss's own queue as it starts,
 * which deadlocked with another process creating queues at the same moment.
 */
const installJobs = async () => {
  const installer = new PgBoss({ db: onProcessPool, supervise: false, schedule: false });
  installer.on("error", (error) => logger().error({ event: "jobs_error", error }, "pg-boss error"));
  await installer.start();
  await installer.stop({ graceful: false, wait: true });
  await createQueues();
};

/** A pg-boss instance on the process's pool, started, with every queue created: web and worker alike, in any order. */
export const startBoss = async ({ worker }: { worker: boolean }) => {
  await installJobs();
  let started = false;
  const boss = new PgBoss({
    // A worker's statements wait an outage out once it has started: pg-boss completes or fails a
    // job after its handler without awaiting it, and a completion lost to a failover would leave
    // the job active until it expires (15 minutes by default) before it ran again. They are safe
    // to send again: a job already completed or failed is left as it is, and a fetch claims
    // whatever is waiting then. A worker whose start finds no database says so and waits
    // (startWorkerJobs); a web instance never waits: its request answers 503 at once.
    db: worker ? { executeSql: (text, values) => (started ? queryWhileUnreachable(text, values) : onProcessPool.executeSql(text, values)) } : onProcessPool,
    // Only workers maintain the queue and run cron; web instances just enqueue.
    supervise: worker,
    schedule: worker,
    // Maintenance also expires jobs whose worker died, so they run again elsewhere.
    maintenanceIntervalSeconds: env().JOBS_MAINTENANCE_SECONDS,
    // A due schedule is sent when a worker next checks, then fetched from pg-boss's own queue
    // (every 5 s by default): never more rarely than it is checked.
    cronMonitorIntervalSeconds: env().JOBS_CRON_CHECK_SECONDS,
    cronWorkerIntervalSeconds: Math.min(5, env().JOBS_CRON_CHECK_SECONDS),
  });
  boss.on("error", (error) => logger().error({ event: "jobs_error", error }, "pg-boss error"));
  await boss.start();
  started = true;
  return boss;
};

/** The process's pg-boss instance, started once (and its queues created) on first use. */
export const jobs = ({ worker = false }: { worker?: boolean } = {}) => {
  globalForBoss.boss ??= startBoss({ worker }).catch((error: unknown) => {
    globalForBoss.boss = undefined;
    throw error;
  });
  return globalForBoss.boss;
};

/**
 * A worker's start: pg-boss started (its schema and queues made) once the database answers. While
 * the database cannot be reached (refused, starting up, a failover under way) it logs that it is
 * waiting and tries again, after 1 s doubling up to 30 s (a fifth either way, so workers started
 * together spread out), instead of exiting: nothing restarts a worker that gave up at start. Any
 * other failure (a wrong password, a database that does not exist) still ends the start at once.
 */
export const startWorkerJobs = async ({ firstDelayMs = 1_000, maxDelayMs = 30_000 }: { firstDelayMs?: number; maxDelayMs?: number } = {}) => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await jobs({ worker: true });
    } catch (error) {
      if (!isDatabaseUnreachable(error)) throw error;
      const delayMs = Math.round(Math.min(maxDelayMs, firstDelayMs * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4));
      logger().warn({ event: "worker_waiting_for_database", attempt, retryInMs: delayMs, error }, `the database cannot be reached yet: waiting ${(delayMs / 1000).toFixed(1)} s before trying again`);
      await sleep(delayMs);
    }
  }
};

/** Stops pg-boss (its jobs in flight finish first); the pool stays open for closePgPool(). */
export const stopJobs = async () => {
  const boss = await globalForBoss.boss;
  globalForBoss.boss = undefined;
  await boss?.stop({ graceful: true, wait: true });
};

/** pg-boss's statements, run on the transaction's connection instead of its own pool. */
const jobExecutorOn = (tx: TTx): PgBoss.Db => {
  const sql = sqlOn(tx);
  return { executeSql: async (text, values) => ({ rows: await sql.query(text, values) }) };
};

/**
 * Enqueues one job in the caller's transaction (either style: lib/pg-tx.ts), so the job exists
 * exactly when the work it is about commits. Resolves to the job's id, or null when pg-boss
 * skipped it (a singleton already waiting). Start pg-boss (`jobs()`) before opening the
 * transaction: starting it here would wait for a second connection while holding this one.
 */
export const enqueueJob = async (tx: TTx, { queue, data, options }: { queue: TQueueName; data: object; options?: Omit<PgBoss.SendOptions, "db"> }) => {
  const boss = await jobs();
  return boss.send(queue, data, { ...options, db: jobExecutorOn(tx) });
};

/**
 * SQL that enqueues one job of `queue` for each row of the relation `from` (a CTE with a `data`
 * jsonb column), as pg-boss 10's own insert does: the queue's retry, expiry and retention policy.
 * It lets a caller enqueue in the same statement as the rows the job is about. A queue that does
 * not exist yet gives a NULL name, which the NOT NULL column refuses: the statement fails whole.
 * `expireSeconds`, an SQL expression (a parameter), replaces the queue's expiry.
 */
export const enqueueJobsSql = ({ queue, from, expireSeconds }: { queue: TQueueName; from: string; expireSeconds?: string }) => `
  INSERT INTO pgboss.job (name, data, expire_in, keep_until, retry_limit, retry_delay, retry_backoff, policy, dead_letter)
  SELECT q.name, f.data,
         COALESCE(${expireSeconds ? `${expireSeconds}, ` : ""}q.expire_seconds, 900) * interval '1 second',
         now() + COALESCE(q.retention_minutes * 60, 1209600) * interval '1 second',
         COALESCE(q.retry_limit, 2),
         CASE WHEN COALESCE(q.retry_backoff, false) THEN GREATEST(COALESCE(q.retry_delay, 0), 1) ELSE COALESCE(q.retry_delay, 0) END,
         COALESCE(q.retry_backoff, false),
         q.policy,
         q.dead_letter
    FROM ${from} f
    LEFT JOIN pgboss.queue q ON q.name = '${queue}'`;
