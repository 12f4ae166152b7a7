import { appendFileSync, chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { mintLinkToken } from "@/lib/links/token";
import { buildApp, migrateDatabase, startApp, startWorker, stopAll, type TStopper } from "@/scripts/lib/stack";
import { createCampaign, type TQueryable } from "@/test/factories";
import { startSmtpSink, type TSmtpSink } from "@/test/smtp-sink";
import { TEST_ENV } from "@/test/test-env";
import { acceptsConnections, jsonStatus, postgresId, queryOnOwnConnection, runPostgresCommand } from "@/faults/own-postgres";

// PostgreSQL restarted while eight clients post the objection form as fast as they can (half with
// JavaScript, half without): every acknowledged objection is stored, every other answer is a 503
// that says to retry, and the app and the worker come back by themselves within 5 s. The server
// is the test's own (the machine's is shared with other tests), so it can be restarted at will.

const PG_BIN = process.env.POSTGRES_BIN ?? "/usr/lib/postgresql/15/bin";
const PG_PORT = Number(process.env.FAULT_PG_PORT ?? 5497);
const APP_PORT = Number(process.env.FAULT_APP_PORT ?? 3620);
const MEMBERS = Number(process.env.FAULT_MEMBERS ?? 3000);
const CLIENTS = 8;
const RECOVERY_LIMIT_MS = 5_000;
const base = `http://127.0.0.1:${APP_PORT}`;
const adminUrl = `postgresql://postgres@127.0.0.1:${PG_PORT}/postgres`;
const databaseUrl = `postgresql://postgres@127.0.0.1:${PG_PORT}/objection`;

type TLoadMember = { id: string; token: string };

const runPg = (command: string, args: string[]) => runPostgresCommand({ bin: PG_BIN, command, args });

let folder = "";
let dataDir = "";
const parts: TStopper[] = [];
let sink: TSmtpSink;
let members: TLoadMember[] = [];
let probe: TLoadMember;
// Opens their personal link while PostgreSQL is down, and again once it is back.
let reader: TLoadMember;
let app: Awaited<ReturnType<typeof startApp>>;
let worker: ReturnType<typeof startWorker>;

const query = <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => queryOnOwnConnection<T>({ url: databaseUrl, text, values });
const accepts = () => acceptsConnections(databaseUrl);
/** `query` as the factories take it. */
const queryable: TQueryable = { query: async <TRow extends object>(text: string, values?: unknown[]) => ({ rows: await query<TRow & pg.QueryResultRow>(text, values) }) };

const createMembers = async (count: number, prefix: string): Promise<TLoadMember[]> => {
  const campaign = await createCampaign({ db: queryable, channels: ["email"], status: "done" });
  const rows = await query<{ id: string; notificationId: string }>(
    `WITH m AS (
       INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
       SELECT $1 || i, $1 || i || '@example.eu', 'DE', '1985-01-01', 'en' FROM generate_series(1, $2::int) i
       RETURNING id)
     INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt") SELECT id, $3, 'email', 'sent', now() FROM m
     RETURNING "memberId" AS id, id AS "notificationId"`,
    [prefix, count, campaign.id],
  );
  const expiresAt = new Date(Date.now() + 30 * 86_400_000);
  return rows.map((row) => ({
    id: row.id,
    token: mintLinkToken({
      subject: { kind: "notification", id: row.notificationId },
      expiresAt,
      secret: TEST_ENV.LINK_SECRET,
    }),
  }));
};

const post = (member: TLoadMember, json: boolean) =>
  fetch(`${base}/o/submit`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(json ? { accept: "application/json" } : {}),
    },
    body: new URLSearchParams({
      token: member.token,
      country: "DE",
    }).toString(),
    redirect: "manual",
  });

beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), "objection-pg-restart-"));
  dataDir = path.join(folder, "data");
  if (process.getuid?.() === 0) chownSync(folder, await postgresId("-u"), await postgresId("-g"));
  await runPg("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale", "C"]);
  // TCP on loopback only, no socket file to clash with the machine's server.
  appendFileSync(path.join(dataDir, "postgresql.conf"), `\nlisten_addresses = '127.0.0.1'\nport = ${PG_PORT}\nunix_socket_directories = ''\n`);
  parts.push({
    name: "PostgreSQL",
    stop: () => runPg("pg_ctl", ["stop", "-D", dataDir, "-m", "immediate", "-w"]).then(() => undefined),
  });
  await runPg("pg_ctl", ["start", "-D", dataDir, "-l", path.join(folder, "postgres.log"), "-w"]);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query("CREATE DATABASE objection");
  await admin.end();
  await migrateDatabase({ DATABASE_URL: databaseUrl });

  sink = await startSmtpSink();
  const env = {
    ...TEST_ENV,
    DATABASE_URL: databaseUrl,
    APP_URL: base,
    SMTP_URL: sink.url,
  };
  if (!existsSync(".next/BUILD_ID")) await buildApp(env);
  // The worker makes pg-boss's tables and queues, which the form's statement enqueues into.
  let workerReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (workerReady = resolve));
  worker = startWorker({ env, logs: process.env.FAULT_LOGS === "1", onLine: (line) => line.includes("worker_ready") && workerReady() });
  parts.push(worker);
  await Promise.race([ready, sleep(60_000).then(() => Promise.reject(new Error("the worker was not ready within 60 s")))]);
  app = await startApp({ env, port: APP_PORT, logs: process.env.FAULT_LOGS === "1" });
  parts.push(app);

  members = await createMembers(MEMBERS, "load-");
  probe = (await createMembers(1, "probe-"))[0]!;
  reader = (await createMembers(1, "reader-"))[0]!;
  // Builds the app when no build is there (about 90 s here); after `npm test`, the setup takes about 15 s.
}, 300_000);

afterAll(async () => {
  await stopAll(parts);
  await sink?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe("PostgreSQL restarted under submission load", () => {
  it("stores every acknowledged objection, answers every other post with a 503 that says to retry, and recovers within 5 s", async () => {
    const acknowledged = new Set<string>();
    const others: string[] = [];
    const fetchErrors: string[] = [];
    const retryLater = { json: 0, page: 0 };
    let next = 0;
    let loading = true;

    const client = async (json: boolean) => {
      while (loading) {
        const member = members[next++ % members.length]!;
        let response: Response;
        try {
          response = await post(member, json);
        } catch (error) {
          fetchErrors.push(`${json ? "json" : "form"}: ${error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : String(error)}`);
          continue;
        }
        const text = await response.text();
        const retryAfter = response.headers.get("retry-after") !== null;
        if (json && response.status === 200 && jsonStatus(text) === "stored") acknowledged.add(member.id);
        else if (!json && response.status === 303 && response.headers.get("location")?.endsWith(`/o/${member.token}?stored=1`)) acknowledged.add(member.id);
        else if (json && response.status === 503 && retryAfter && jsonStatus(text) === "error") retryLater.json++;
        else if (!json && response.status === 503 && retryAfter && response.headers.get("content-type")?.includes("text/html") && /try again/i.test(text)) retryLater.page++;
        else others.push(`${json ? "json" : "form"} ${response.status} ${response.headers.get("location") ?? ""} ${text.slice(0, 200)}`);
      }
    };
    const load = Array.from({ length: CLIENTS }, (_, index) => client(index % 2 === 0));
    // A process that died (the worker did, of a restart mid-transaction) fails the test below with
    // its exit code at once, instead of every wait running out past the test's limit.
    const running = () => app.child.exitCode === null && worker.child.exitCode === null;

    await sleep(3_000);
    const ackedBeforeRestart = acknowledged.size;
    await runPg("pg_ctl", ["stop", "-D", dataDir, "-m", "fast", "-w"]);
    // The personal link's page, as a browser loads it, while nothing answers: the outage page.
    const linkPageDown = await fetch(`${base}/o/${reader.token}`, { headers: { accept: "text/html" } });
    const linkPageDownText = await linkPageDown.text();
    await sleep(2_000);
    const starting = runPg("pg_ctl", ["start", "-D", dataDir, "-l", path.join(folder, "postgres.log")]);
    while (!(await accepts())) await sleep(20);
    const upAt = Date.now();
    const upAtDb = new Date(upAt - 5);
    await starting;

    // (a) The app: its health check answers 200 and a new objection is stored.
    let appBackAt = 0;
    while (Date.now() - upAt < 60_000 && running()) {
      const health = await fetch(`${base}/api/health`).catch(() => null);
      if (health?.status === 200) {
        const response = await post(probe, true).catch(() => null);
        if (response?.status === 200 && jsonStatus(await response.text()) === "stored") {
          appBackAt = Date.now();
          acknowledged.add(probe.id);
          break;
        }
      }
      await sleep(50);
    }
    const linkPageUp = await fetch(`${base}/o/${reader.token}`, { headers: { accept: "text/html" } });
    // (b) The worker: the receipt of an objection made after PostgreSQL came back is sent and recorded.
    // When: the record's own time, not when this loop sees it. The loop starts only after (a) and the
    // link page, which under load take this process seconds: on a machine at load 11 it saw the
    // receipt 16 s after the restart, when the database had recorded it within about 5 s.
    let workerBackAt = 0;
    let workerSeenAt = 0;
    while (Date.now() - upAt < 60_000 && running()) {
      const rows = await query<{ recordedAt: Date | null }>(
        `SELECT min(e."createdAt") AS "recordedAt" FROM "ObjectionEvent" e JOIN "Objection" o ON o.id = e."objectionId" WHERE e.type = 'receipt_sent' AND o."createdAt" >= $1`,
        [upAtDb],
      ).catch(() => []);
      if (rows[0]?.recordedAt) {
        workerBackAt = rows[0].recordedAt.getTime();
        workerSeenAt = Date.now();
        break;
      }
      await sleep(50);
    }

    // Load for a while longer after the recovery, then check.
    await sleep(3_000);
    loading = false;
    await Promise.all(load);
    const stored = new Set((await query<{ memberId: string }>(`SELECT "memberId" FROM "Objection" WHERE "memberId" = ANY($1::uuid[])`, [[...acknowledged]])).map((row) => row.memberId));
    const lost = [...acknowledged].filter((id) => !stored.has(id));
    // The probe's own receipt goes out too: the worker serves the queue, not just one job.
    const probeReceiptDeadline = Date.now() + 60_000;
    let probeReceipt = false;
    while (!probeReceipt && Date.now() < probeReceiptDeadline && running()) {
      probeReceipt = (await query(`SELECT 1 FROM "ObjectionEvent" e JOIN "Objection" o ON o.id = e."objectionId" WHERE o."memberId" = $1 AND e.type = 'receipt_sent'`, [probe.id])).length > 0;
      if (!probeReceipt) await sleep(200);
    }

    const appSeconds = appBackAt ? `${((appBackAt - upAt) / 1000).toFixed(2)} s` : "never";
    const workerSeconds = workerBackAt ? `${((workerBackAt - upAt) / 1000).toFixed(2)} s (this test saw it after ${((workerSeenAt - upAt) / 1000).toFixed(2)} s)` : "never";
    console.log(
      `[postgres-restart] acknowledged ${acknowledged.size} (${ackedBeforeRestart} before the restart), 503 ${retryLater.json + retryLater.page} (${retryLater.json} JSON, ${retryLater.page} pages), other ${others.length}, connection errors ${fetchErrors.length}; app back in ${appSeconds}, worker back in ${workerSeconds}`,
    );
    // Recovered by themselves: the same processes as before the restart.
    expect([app.child.exitCode, worker.child.exitCode]).toEqual([null, null]);
    expect(lost).toEqual([]);
    expect(others.slice(0, 10)).toEqual([]);
    expect(fetchErrors.slice(0, 10)).toEqual([]);
    // Both kinds of client met the outage, so both kinds of 503 were checked.
    expect(retryLater.json).toBeGreaterThan(0);
    expect(retryLater.page).toBeGreaterThan(0);
    expect(appBackAt).toBeGreaterThan(0);
    expect(appBackAt - upAt).toBeLessThanOrEqual(RECOVERY_LIMIT_MS);
    expect(workerBackAt).toBeGreaterThan(0);
    expect(workerBackAt - upAt).toBeLessThanOrEqual(RECOVERY_LIMIT_MS);
    expect(probeReceipt).toBe(true);
    expect(linkPageDown.status).toBe(503);
    expect(linkPageDown.headers.get("retry-after")).toBe("5");
    expect(linkPageDownText).toContain(`href="/o/${reader.token}"`);
    expect(linkPageUp.status).toBe(200);
  });
});
