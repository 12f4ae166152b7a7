import { once } from "node:events";
import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CONNECT_TIMEOUT_MS } from "@/lib/pg";
import { freePort } from "@/scripts/lib/free-port";
import { buildApp, startApp, startWorker, stopAll, type TStopper } from "@/scripts/lib/stack";
import { waitUntil } from "@/test/campaign-fixtures";
import { startPgBouncer } from "@/test/pgbouncer";
import { startSmtpSink, type TSmtpSink } from "@/test/smtp-sink";
import { TEST_ENV } from "@/test/test-env";
import { createLoadMembers, postObjectionForm, startFormLoad, type TLoadMember } from "@/faults/form-load";
import { storedAndReceipts, summary } from "@/faults/load-outcomes";
import { startHaproxy, type THaproxy } from "@/faults/own-haproxy";
import { queryOnOwnConnection, startOwnCluster, type TOwnCluster } from "@/faults/own-postgres";

// Two web instances behind HAProxy, a worker and a PostgreSQL cluster of the file's own behind a
// PgBouncer in transaction mode (DATABASE_URL; DIRECT_DATABASE_URL is PostgreSQL itself), shared by
// the cases in order: the worker is started while PostgreSQL is down; then one instance is killed
// (SIGKILL) under a steady load of form posts; then both are restarted one at a time (SIGTERM).
// After each, the database is checked against the answers: every acknowledged post stored once,
// every stored objection's receipt sent once.

const RATE = Number(process.env.FAULT_POSTS_PER_SECOND ?? 80);
const LOGS = process.env.FAULT_LOGS === "1";
const seconds = (ms: number) => (ms / 1000).toFixed(2);

type TInstance = Awaited<ReturnType<typeof startApp>>;

let cluster: TOwnCluster | undefined;
let sink: TSmtpSink;
let haproxy: THaproxy;
let env: Record<string, string>;
let worker: ReturnType<typeof startWorker>;
const instances: { name: string; port: number; app?: TInstance }[] = [
  { name: "a", port: 0 },
  { name: "b", port: 0 },
];
const parts: TStopper[] = [];
const workerLines: string[] = [];
let members: TLoadMember[] = [];
let databaseUpAt = 0;
let firstWaitingMs = 0;
let workerReadyAt = 0;

const query = <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => queryOnOwnConnection<T>({ url: cluster!.url, text, values });

const waitForWorkerLine = (text: string, timeoutMs: number) =>
  waitUntil({ check: async () => workerLines.some((line) => line.includes(text)), timeoutMs, what: `the worker to log ${text}` });

const startInstance = async (index: number) => {
  const instance = instances[index]!;
  instance.app = await startApp({ env, port: instance.port, logs: LOGS });
  return instance.app;
};

/** The next `count` members nobody has posted for yet. */
let used = 0;
const takeMembers = (count: number) => members.slice(used, (used += count));

beforeAll(async () => {
  cluster = await startOwnCluster({ port: await freePort(), name: "web-instances" });
  parts.push({ name: "PostgreSQL", stop: () => cluster!.remove() });
  // server_login_retry 1 s, as docs/operations.md advises: with its default, 15 s, PgBouncer would try
  // PostgreSQL again that long after a failed login.
  const pgBouncer = await startPgBouncer({ upstreamUrl: cluster.url, serverLoginRetrySeconds: 1 });
  parts.push({ name: "PgBouncer", stop: pgBouncer.stop });
  sink = await startSmtpSink();
  const lbPort = await freePort();
  for (const instance of instances) instance.port = await freePort();
  env = { ...TEST_ENV, DATABASE_URL: pgBouncer.urlFor(cluster.url), DIRECT_DATABASE_URL: cluster.url, APP_URL: `http://127.0.0.1:${lbPort}`, SMTP_URL: sink.url };
  if (!existsSync(".next/BUILD_ID")) await buildApp(env);

  // The worker starts while PostgreSQL is down, and must come up by itself once it starts. PgBouncer
  // takes its connection and holds the login until PostgreSQL answers (or its client_login_timeout,
  // 60 s, passes): the worker's pool gives up after CONNECT_TIMEOUT_MS and says it is waiting.
  await cluster.stop();
  const workerStartedAt = Date.now();
  worker = startWorker({ env, logs: LOGS, onLine: (line) => workerLines.push(line) });
  parts.push(worker);
  await waitForWorkerLine("worker_waiting_for_database", CONNECT_TIMEOUT_MS + 10_000);
  firstWaitingMs = Date.now() - workerStartedAt;
  await sleep(1_500);
  await cluster.start();
  databaseUpAt = Date.now();
  await waitForWorkerLine("worker_ready", 60_000);
  workerReadyAt = Date.now();

  for (const index of instances.keys()) await startInstance(index);
  parts.push({ name: "web instances", stop: () => stopAll(instances.flatMap((instance) => (instance.app ? [instance.app] : []))) });
  haproxy = await startHaproxy({ port: lbPort, servers: instances.map(({ name, port }) => ({ name, port })), logs: LOGS || process.env.FAULT_HAPROXY_LOGS === "1" });
  parts.push(haproxy);
  for (const { name } of instances) await haproxy.waitFor({ name, status: "UP" });
  members = await createLoadMembers({ url: cluster.url, count: 3_000, prefix: "load-" });
}, 300_000);

afterAll(async () => {
  await stopAll(parts);
  await sink?.stop();
});

describe("a worker started while PostgreSQL is down", () => {
  it("logs that it is waiting, comes up once PostgreSQL starts, without a restart, and works a job", async () => {
    const [probe] = takeMembers(1);
    const answer = await postObjectionForm({ base: haproxy.url, member: probe! });
    expect(answer.acknowledged).toBe(true);
    await waitUntil({
      check: async () => (await query(`SELECT 1 FROM "ObjectionEvent" e JOIN "Objection" o ON o.id = e."objectionId" WHERE o."memberId" = $1 AND e.type = 'receipt_sent'`, [probe!.id])).length > 0,
      timeoutMs: 30_000,
      what: "the probe's receipt",
    });
    const waiting = workerLines.filter((line) => line.includes("worker_waiting_for_database")).map((line) => JSON.parse(line) as { error: { code?: string; message?: string }; attempt: number });
    console.log(
      `[web-instances] worker: ${waiting.length} waiting lines while PostgreSQL was down, the first ${seconds(firstWaitingMs)} s after its start (${waiting[0]?.error.code}: ${waiting[0]?.error.message}); ready ${seconds(workerReadyAt - databaseUpAt)} s after PostgreSQL started`,
    );
    expect(waiting.length).toBeGreaterThan(0);
    // The login PgBouncer held, given up on by the worker's pool.
    expect(waiting[0]!.error.message).toBe("Connection terminated due to connection timeout");
    expect(workerLines.filter((line) => line.includes("worker_start_failed"))).toEqual([]);
    // The same process all along.
    expect(worker.child.exitCode).toBeNull();
    expect(worker.child.signalCode).toBeNull();
  });
});

describe("two web instances behind HAProxy", () => {
  it("lose no acknowledged objection when one is killed (SIGKILL) mid-load: failed answers at most 1 % of posts, none after 2 s, every receipt sent once", async () => {
    const group = takeMembers(RATE * 8);
    const load = startFormLoad({ base: haproxy.url, members: group, perSecond: RATE });
    await sleep(3_000);
    const victim = instances[0]!;
    const killedAt = Date.now();
    victim.app!.child.kill("SIGKILL");
    await once(victim.app!.child, "exit");
    const downMs = await haproxy.waitFor({ name: victim.name, status: "DOWN" });
    await sleep(killedAt + 5_000 - Date.now());
    const outcomes = await load.stop();

    const { acknowledged, failed } = summary(outcomes);
    const { stored, receiptEventsNotOnce, deliveriesNotOnce } = await storedAndReceipts({ query, sink, group });
    const lost = acknowledged.filter((outcome) => stored.get(outcome.member.id) !== 1);
    const lastFailure = Math.max(0, ...failed.map((outcome) => outcome.answeredAt - killedAt));
    console.log(
      `[web-instances] SIGKILL: posts ${outcomes.length}, acknowledged ${acknowledged.length}, stored ${stored.size}, failed answers ${failed.length} (${((100 * failed.length) / outcomes.length).toFixed(2)} %: ${failed.map((outcome) => outcome.status).join(" ") || "none"}); last failed answer ${seconds(lastFailure)} s after the kill, HAProxy marked the instance down after ${seconds(downMs)} s; receipts not sent once ${deliveriesNotOnce}`,
    );
    // The instance comes back for the next case.
    await startInstance(0);
    await haproxy.waitFor({ name: victim.name, status: "UP" });

    expect(lost.map((outcome) => outcome.member.id)).toEqual([]);
    expect([...stored.values()].filter((count) => count !== 1)).toEqual([]);
    expect(failed.length).toBeLessThanOrEqual(outcomes.length / 100);
    expect(failed.filter((outcome) => outcome.answeredAt - killedAt > 2_000).map((outcome) => `${outcome.status} ${outcome.detail}`)).toEqual([]);
    expect(receiptEventsNotOnce).toBe(0);
    expect(deliveriesNotOnce).toBe(0);
  });

  it("answer every post during a rolling restart, one instance at a time by SIGTERM, each exiting 0; every receipt sent once", async () => {
    const group = takeMembers(members.length - used);
    const load = startFormLoad({ base: haproxy.url, members: group, perSecond: RATE });
    await sleep(2_000);
    const exitCodes: (number | null)[] = [];
    const restartMs: number[] = [];
    const outMs: number[] = [];
    const exitMs: number[] = [];
    for (const [index, instance] of instances.entries()) {
      const started = Date.now();
      const old = instance.app!;
      const exited = once(old.child, "exit") as Promise<[number | null]>;
      old.child.kill("SIGTERM");
      // Its health check's 503 takes it out of HAProxy while it still serves (the drain).
      outMs.push(await haproxy.waitFor({ name: instance.name, status: "DOWN" }));
      const [code] = await exited;
      exitMs.push(Date.now() - started);
      exitCodes.push(code);
      await startInstance(index);
      await haproxy.waitFor({ name: instance.name, status: "UP" });
      restartMs.push(Date.now() - started);
    }
    await sleep(2_000);
    const outcomes = await load.stop();

    const { acknowledged, failed } = summary(outcomes);
    const { stored, receiptEventsNotOnce, deliveriesNotOnce } = await storedAndReceipts({ query, sink, group });
    const lost = acknowledged.filter((outcome) => stored.get(outcome.member.id) !== 1);
    console.log(
      `[web-instances] rolling restart: posts ${outcomes.length}, acknowledged ${acknowledged.length}, stored ${stored.size}, failed answers ${failed.length}; each instance out of HAProxy ${outMs.map(seconds).join(" s and ")} s after its SIGTERM, exited after ${exitMs.map(seconds).join(" s and ")} s, back in HAProxy after ${restartMs.map(seconds).join(" s and ")} s; exit codes ${exitCodes.join(", ")}; receipts not sent once ${deliveriesNotOnce}`,
    );
    expect(exitCodes).toEqual([0, 0]);
    // Out of the load balancer before its port closed, at the end of the drain (SHUTDOWN_DRAIN_SECONDS, 2 by default).
    for (const ms of outMs) expect(ms).toBeLessThan(2_000);
    expect(failed.map((outcome) => `${outcome.status} ${outcome.detail}`)).toEqual([]);
    expect(lost).toEqual([]);
    expect(stored.size).toBe(outcomes.length);
    expect(receiptEventsNotOnce).toBe(0);
    expect(deliveriesNotOnce).toBe(0);
  });
});
