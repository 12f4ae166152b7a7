import { setTimeout as sleep } from "node:timers/promises";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { exportStorageAt } from "@/lib/exports/export-storage";
import { verifyExportRun } from "@/lib/exports/verify-export";
import { enqueueJobsSql, QUEUES } from "@/lib/jobs";
import { freePort } from "@/scripts/lib/free-port";
import { buildApp, startApp, startWorker, stopAll, type TStopper } from "@/scripts/lib/stack";
import { waitUntil } from "@/test/campaign-fixtures";
import { TEST_PUBLIC_KEY } from "@/test/export-fixtures";
import { startPgBouncer, type TPgBouncer } from "@/test/pgbouncer";
import { startSmtpSink, type TSmtpSink } from "@/test/smtp-sink";
import { TEST_ENV } from "@/test/test-env";
import { createLoadMembers, startFormLoad, type TLoadMember, type TPostOutcome } from "@/faults/form-load";
import { failedByStatus, outcomesAgainstDatabase, recoveryMs } from "@/faults/load-outcomes";
import { startTcpProxy } from "@/faults/own-tcp-proxy";
import { queryOnOwnConnection, startOwnCluster, startOwnStandby, type TOwnCluster, type TOwnStandby } from "@/faults/own-postgres";

// The database path as a platform runs it: a web instance and a worker with DATABASE_URL naming
// PgBouncer (transaction mode) and DIRECT_DATABASE_URL naming HAProxy in TCP mode, both in front of
// a primary with a synchronous streaming standby; all of the file's own, shared by the cases in
// order. Under a steady load of form posts, PgBouncer is restarted, then the primary dies
// (immediate stop) and the test, as an operator or Patroni would, promotes the standby and points
// PgBouncer and HAProxy at it. Nothing is restarted: web and worker come back by themselves.

const RATE = Number(process.env.FAULT_POSTS_PER_SECOND ?? 25);
const LOGS = process.env.FAULT_LOGS === "1";
const seconds = (ms: number) => (ms / 1000).toFixed(2);

let primary: TOwnCluster;
let standby: TOwnStandby;
let bouncer: TPgBouncer;
let direct: Awaited<ReturnType<typeof startTcpProxy>>;
let sink: TSmtpSink;
let base = "";
let exportDir = "";
let app: Awaited<ReturnType<typeof startApp>>;
let worker: ReturnType<typeof startWorker>;
const parts: TStopper[] = [];
const workerLines: string[] = [];
let members: TLoadMember[] = [];
// The server that takes writes now: the primary, then the promoted standby.
let writable = "";

const query = <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => queryOnOwnConnection<T>({ url: writable, text, values });

let used = 0;
const takeMembers = (count: number) => members.slice(used, (used += count));

/**
 * How long after `since` the worker first recorded a receipt on the server that takes writes now:
 * it reaches the database again. (A receipt for an objection made after `since` may come later,
 * behind the receipts already waiting: the checks at the end see every one sent.)
 */
const workerBackAfter = async (since: number) => {
  await waitUntil({
    check: async () => (await query(`SELECT 1 FROM "ObjectionEvent" WHERE type = 'receipt_sent' AND "createdAt" >= $1 LIMIT 1`, [new Date(since)]).catch(() => [])).length > 0,
    timeoutMs: 60_000,
    what: "the worker to record a receipt after the fault",
  });
  return Date.now() - since;
};

/** Of these members' objections made at or after `since`, how many have their receipt sent. */
const receiptsForObjectionsSince = async ({ since, group }: { since: number; group: TLoadMember[] }) =>
  (
    await query<{ made: number; sent: number }>(
      `SELECT count(DISTINCT o.id)::int AS made, count(DISTINCT e."objectionId")::int AS sent FROM "Objection" o
         LEFT JOIN "ObjectionEvent" e ON e."objectionId" = o.id AND e.type = 'receipt_sent'
        WHERE o."memberId" = ANY($1::uuid[]) AND o."createdAt" >= $2`,
      [group.map((member) => member.id), new Date(since)],
    )
  )[0]!;

/** An export run by the worker's nightly job, enqueued now; resolves with the run once it succeeded. */
const exportRunByWorker = async () => {
  const known = (await query<{ id: string }>(`SELECT id FROM "ExportRun"`)).map((row) => row.id);
  await query(enqueueJobsSql({ queue: QUEUES.exportNightly.name, from: `(SELECT '{}'::jsonb AS data)` }));
  let run: { id: string; status: string; previousRunId: string | null } | undefined;
  await waitUntil({
    check: async () => {
      [run] = await query<{ id: string; status: string; previousRunId: string | null }>(`SELECT id, status, "previousRunId" FROM "ExportRun" WHERE NOT (id = ANY($1::uuid[])) AND status <> 'running'`, [known]);
      return run !== undefined;
    },
    timeoutMs: 60_000,
    what: "the worker's export run",
  });
  return run!;
};

/** The checks every case makes: every acknowledged post stored once, every receipt sent once, every failed answer a 503 that says when to retry. */
const checkOutcomes = async ({ outcomes, group }: { outcomes: TPostOutcome[]; group: TLoadMember[] }) => {
  const result = await outcomesAgainstDatabase({ query, sink, outcomes, group });
  const notRetryLater = result.failed.filter((outcome) => outcome.status !== 503 || outcome.retryAfter === null).map((outcome) => `${outcome.status} ${outcome.detail}`);
  return { ...result, notRetryLater };
};

beforeAll(async () => {
  primary = await startOwnCluster({ port: await freePort(), name: "failover-primary" });
  parts.push({ name: "primary", stop: () => primary.remove() });
  standby = await startOwnStandby({ primary, port: await freePort(), name: "failover-standby", synchronous: true });
  parts.push({ name: "standby", stop: () => standby.remove() });
  writable = primary.url;
  // A failed login to the server is tried again after 1 s (PgBouncer's default: 15 s), so a
  // repointed PgBouncer reaches the new primary at once (docs/operations.md, "Failover").
  bouncer = await startPgBouncer({ upstreamUrl: primary.url, poolSize: 20, serverLoginRetrySeconds: 1 });
  parts.push({ name: "PgBouncer", stop: bouncer.stop });
  direct = await startTcpProxy({ upstreamPort: primary.port, logs: LOGS });
  parts.push(direct);
  sink = await startSmtpSink();
  exportDir = mkdtempSync(path.join(tmpdir(), "objection-failover-export-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = { ...TEST_ENV, DATABASE_URL: bouncer.urlFor(primary.url), DIRECT_DATABASE_URL: direct.urlFor(primary.url), APP_URL: base, SMTP_URL: sink.url, EXPORT_DIR: exportDir };
  if (!existsSync(".next/BUILD_ID")) await buildApp(env);
  worker = startWorker({ env, logs: LOGS, onLine: (line) => workerLines.push(line) });
  parts.push(worker);
  await waitUntil({ check: async () => workerLines.some((line) => line.includes("worker_ready")), timeoutMs: 60_000, what: "the worker to be ready" });
  app = await startApp({ env, port, logs: LOGS });
  parts.push(app);
  members = await createLoadMembers({ url: primary.url, count: RATE * 32, prefix: "load-" });
}, 300_000);

afterAll(async () => {
  await stopAll(parts);
  await sink?.stop();
  if (exportDir) rmSync(exportDir, { recursive: true, force: true });
});

describe("the database path under form load", () => {
  it("PgBouncer restarted: every failed answer a 503 with Retry-After, recovery within 5 s, every acknowledged objection stored once, every receipt sent once", async () => {
    const group = takeMembers(RATE * 11);
    const load = startFormLoad({ base, members: group, perSecond: RATE });
    await sleep(3_000);
    const { downMs } = await bouncer.restart();
    const upAt = Date.now();
    const workerMs = await workerBackAfter(upAt);
    await sleep(upAt + 6_000 - Date.now());
    const outcomes = await load.stop();

    const result = await checkOutcomes({ outcomes, group });
    const recovered = recoveryMs({ outcomes, faultEndedAt: upAt });
    console.log(
      `[database-failover] PgBouncer restart: posts ${outcomes.length}, acknowledged ${result.acknowledged.length}, stored ${result.stored.size}, failed answers ${result.failed.length} (${failedByStatus(result.failed)}); PgBouncer not listening for ${seconds(downMs)} s; web recovered ${seconds(recovered)} s after it listened again, worker recorded a receipt ${seconds(workerMs)} s after; receipts not sent once ${result.deliveriesNotOnce}`,
    );
    expect([app.child.exitCode, worker.child.exitCode]).toEqual([null, null]);
    expect(result.lost).toEqual([]);
    expect(result.storedTwice).toBe(0);
    expect(result.notRetryLater).toEqual([]);
    expect(recovered).toBeLessThanOrEqual(5_000);
    expect(workerMs).toBeLessThanOrEqual(5_000);
    expect(result.receiptEventsNotOnce).toBe(0);
    expect(result.deliveriesNotOnce).toBe(0);
  });

  it("the primary dies: the standby promoted and PgBouncer pointed at it within 5 s; no acknowledged objection lost; web and worker back within 15 s without a restart; the next export run continues the chain", async () => {
    const before = await exportRunByWorker();
    const group = takeMembers(RATE * 18);
    const load = startFormLoad({ base, members: group, perSecond: RATE });
    await sleep(3_000);
    const diedAt = Date.now();
    await primary.stop("immediate");
    await standby.promote();
    const promotedAt = Date.now();
    writable = standby.url;
    const { reloadMs } = await bouncer.repoint(standby.url);
    await direct.repoint(standby.port);
    const repointedAt = Date.now();
    const workerMs = await workerBackAfter(promotedAt);
    await sleep(promotedAt + 10_000 - Date.now());
    const outcomes = await load.stop();

    const result = await checkOutcomes({ outcomes, group });
    const recovered = recoveryMs({ outcomes, faultEndedAt: promotedAt });
    const afterPromotion = await receiptsForObjectionsSince({ since: promotedAt, group });
    const after = await exportRunByWorker();
    const storage = exportStorageAt(exportDir);
    const verified = await Promise.all([before, after].map((run) => verifyExportRun({ storage, runId: run.id, publicKey: TEST_PUBLIC_KEY })));
    console.log(
      `[database-failover] primary failover: posts ${outcomes.length}, acknowledged ${result.acknowledged.length}, stored ${result.stored.size}, failed answers ${result.failed.length} (${failedByStatus(result.failed)}); standby promoted ${seconds(promotedAt - diedAt)} s after the primary died, PgBouncer (reload ${seconds(reloadMs)} s) and HAProxy repointed ${seconds(repointedAt - diedAt)} s after; web recovered ${seconds(recovered)} s after the promotion, worker recorded a receipt on the new primary ${seconds(workerMs)} s after; receipts sent for ${afterPromotion.sent} of the ${afterPromotion.made} objections made after the promotion; receipts not sent once ${result.deliveriesNotOnce}; export run after the failover continues the chain: ${after.previousRunId === before.id}`,
    );
    expect(repointedAt - diedAt).toBeLessThanOrEqual(5_000);
    expect([app.child.exitCode, worker.child.exitCode]).toEqual([null, null]);
    expect(result.lost).toEqual([]);
    expect(result.storedTwice).toBe(0);
    expect(result.notRetryLater).toEqual([]);
    expect(recovered).toBeLessThanOrEqual(15_000);
    expect(workerMs).toBeLessThanOrEqual(15_000);
    expect(afterPromotion.made).toBeGreaterThan(0);
    expect(afterPromotion.sent).toBe(afterPromotion.made);
    expect(result.receiptEventsNotOnce).toBe(0);
    expect(result.deliveriesNotOnce).toBe(0);
    expect([before.status, after.status]).toEqual(["succeeded", "succeeded"]);
    expect(after.previousRunId).toBe(before.id);
    expect(verified.map((outcome) => outcome.ok)).toEqual([true, true]);
  });
});
