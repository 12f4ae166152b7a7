import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { GET as healthRoute } from "@/app/api/health/route";
import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { launchCampaign } from "@/lib/campaigns/launch-campaign";
import type { TCreateCampaign } from "@/lib/campaigns/schema";
import { SEND_CHUNK_SIZE } from "@/lib/campaigns/send-campaign-batch";
import { exportStorageAt } from "@/lib/exports/export-storage";
import { verifyExportRun } from "@/lib/exports/verify-export";
import { QUEUES } from "@/lib/jobs";
import { startWorker } from "@/scripts/lib/stack";
import { deliveriesByRecipient, recipientOf, seedMembers, waitUntil } from "@/test/campaign-fixtures";
import { TEST_PUBLIC_KEY } from "@/test/export-fixtures";
import { startPgBouncer, type TPgBouncer } from "@/test/pgbouncer";
import { startSmtpSink, type TSmtpSink } from "@/test/smtp-sink";
import { closeTestDatabase } from "@/test/close-test-database";
import { createTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";
import { startAppUnderLoad } from "@/faults/app-under-load";
import { campaignState, jobCount } from "@/faults/campaign-progress";
import { killedWorkerBounds } from "@/faults/killed-worker-bounds";
import { outcomesAgainstDatabase } from "@/faults/load-outcomes";

// Faults in the worker and the mail path: the SMTP server stopped mid-campaign; one of two workers
// killed with SIGKILL mid-campaign while distinct members post the production build's form; the
// export killed mid-write. Nothing is lost; at most the killed worker's chunks and receipt batches in
// flight are sent twice (the test prints how many were). Workers, app and export run as a platform
// runs them: DATABASE_URL through PgBouncer in transaction mode, DIRECT_DATABASE_URL to PostgreSQL.

// Enough that the export is still writing well after its first file appears (about 1.5 s of
// writing here), so the kill lands mid-write; the test polls for that file every 10 ms.
const EXPORT_OBJECTIONS = 100_000;
// The campaign workers' CAMPAIGN_BATCH_EXPIRE_SECONDS and JOBS_MAINTENANCE_SECONDS: short, so a killed worker's jobs run again soon.
const EXPIRE_SECONDS = 4;
const MAINTENANCE_SECONDS = 1;

let database: { name: string; url: string };
let pool: pg.Pool;
const query = async <T extends pg.QueryResultRow>(text: string, values?: unknown[]) => (await pool.query<T>(text, values)).rows;
let pgBouncer: TPgBouncer;
/** The database URLs of the workers and the export. */
let databaseEnv: { DATABASE_URL: string; DIRECT_DATABASE_URL: string };
/** Workers and apps a case started, stopped after it. */
const processes: ReturnType<typeof startWorker>[] = [];

beforeAll(async () => {
  // Campaigns reach every eligible member in the database, and the export takes every objection: a database of its own.
  database = await createTestDatabase("objection_worker_faults");
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  pgBouncer = await startPgBouncer({ upstreamUrl: database.url });
  databaseEnv = { DATABASE_URL: pgBouncer.urlFor(database.url), DIRECT_DATABASE_URL: database.url };
});

afterEach(async () => {
  await Promise.all(processes.splice(0).map((child) => child.stop()));
});

afterAll(async () => {
  await pgBouncer?.stop();
  await closeTestDatabase({ database, clients: [pool] });
});

describe("campaigns", () => {
  let sink: TSmtpSink;
  let delivered: TSmtpSink["messages"] = [];

  const spawnWorker = (extra: Record<string, string>, onLine?: (line: string) => void) => {
    const worker = startWorker({
      env: { ...TEST_ENV, ...databaseEnv, SMTP_URL: sink.url, CAMPAIGN_BATCH_SIZE: "100", CAMPAIGN_BATCH_EXPIRE_SECONDS: String(EXPIRE_SECONDS), JOBS_MAINTENANCE_SECONDS: String(MAINTENANCE_SECONDS), ...extra },
      logs: false,
      onLine,
    });
    processes.push(worker);
    return worker;
  };

  const launch = async (country: NonNullable<TCreateCampaign["countries"]>[number]) => {
    const { id } = await createCampaign({ actor: PLATFORM_ACTOR, campaign: { name: `faults ${randomUUID()}`, channels: ["email"], countries: [country] } });
    await launchCampaign({ campaignId: id, actor: PLATFORM_ACTOR });
    return id;
  };

  const state = (id: string) => campaignState({ pool, id });

  const waitForDone = (id: string) => waitUntil({ check: async () => (await state(id)).status === "done", timeoutMs: 120_000, what: `campaign ${id} to be done` });

  /** Messages the sink received (across its restarts) for these addresses. */
  const deliveriesTo = (emails: string[]) => {
    const wanted = new Set(emails);
    return deliveriesByRecipient([...delivered, ...sink.messages].filter((message) => wanted.has(recipientOf(message))));
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
  });

  afterAll(async () => {
    await sink.stop();
  });

  it("waits out an SMTP outage in mid-campaign: every email arrives, none twice, none failed", async () => {
    const emails = await seedMembers({ pool, prefix: `outage-${randomUUID()}`, count: 300, country: "BE" });
    spawnWorker({ MAIL_RATE_PER_SEC: "100" });
    const id = await launch("BE");

    await waitUntil({ check: async () => (await state(id)).sent >= 60, timeoutMs: 30_000, what: "the first emails" });
    const port = sink.port;
    // The sink closes gracefully: pooled connections may still deliver while it closes, so what it
    // received is read once it has stopped.
    await sink.stop();
    delivered = [...delivered, ...sink.messages];
    await sleep(3_000);
    const during = await state(id);
    sink = await startSmtpSink({ port });

    await waitForDone(id);
    const deliveries = deliveriesTo(emails);
    const duplicates = [...deliveries.values()].filter((count) => count > 1).length;
    console.log(`SMTP stopped mid-campaign: ${during.queued} of 300 queued during the 3 s outage; after the restart ${deliveries.size} of 300 delivered, ${duplicates} twice`);
    expect(during).toMatchObject({ status: "running" });
    expect(during.queued).toBeGreaterThan(0);
    expect(deliveries.size).toBe(300);
    expect(duplicates).toBe(0);
    expect(await state(id)).toEqual({ status: "done", queued: 0, sent: 300, failed: 0 });
  });

  it("finishes on the other worker when one of two is killed with SIGKILL mid-campaign: every member emailed, at most the killed worker's chunks in flight twice, done within its jobs' expiry and first retry; the form posted meanwhile: every acknowledged post stored once, at most the killed worker's receipt batches in flight sent twice", async () => {
    const count = 600;
    const emails = await seedMembers({ pool, prefix: `killed-${randomUUID()}`, count, country: "NL" });
    const concurrency = 2;
    const perSecond = 150;
    const formPerSecond = 20;
    // Long enough that no send job outruns it on a loaded machine (pg-boss would run it again meanwhile).
    const expireSeconds = 10;
    const bounds = killedWorkerBounds({ concurrency, expireSeconds, maintenanceSeconds: MAINTENANCE_SECONDS, perSecond, count });
    const lines: string[][] = [[], []];
    const extra = { MAIL_RATE_PER_SEC: String(perSecond), WORKER_BATCH_CONCURRENCY: String(concurrency), CAMPAIGN_BATCH_EXPIRE_SECONDS: String(expireSeconds) };
    const [victim] = lines.map((own) => spawnWorker(extra, (line) => own.push(line)));
    // The production build through the same PgBouncer, its form posted throughout; its receipt jobs expire as the
    // send jobs do. Its members are in DE, never in the NL campaign's audience: the sink tells their mail apart.
    const web = await startAppUnderLoad({ env: { ...TEST_ENV, ...databaseEnv, SMTP_URL: sink.url, RECEIPT_EXPIRE_SECONDS: String(expireSeconds) }, databaseUrl: database.url, members: formPerSecond * 40, perSecond: formPerSecond, prefix: `form-${randomUUID()}-` });
    processes.push(web.app);
    await waitUntil({ check: async () => lines.every((own) => own.some((line) => line.includes("worker_ready"))), timeoutMs: 60_000, what: "both workers" });
    const id = await launch("NL");
    const sendJobs = (condition: string) => jobCount({ pool, queue: QUEUES.campaignBatch.name, condition: `data->>'campaignId' = $2 AND ${condition}`, values: [id] });

    // Six batches for four slots: with three send jobs active, each worker runs at least one.
    let active = 0;
    await waitUntil({ check: async () => (await state(id)).sent >= 100 && (active = await sendJobs("state = 'active'")) >= 3, timeoutMs: 30_000, what: "both workers sending" });
    // A commit was just seen: wait a little, so the kill lands with chunks half sent.
    await sleep(100);
    const receiptsActive = await jobCount({ pool, queue: QUEUES.objectionReceipt.name, condition: "state = 'active'" });
    victim!.child.kill("SIGKILL");
    const killedAt = Date.now();

    await waitForDone(id);
    const doneSeconds = (Date.now() - killedAt) / 1000;
    const outcomes = await web.load.stop();
    const deliveries = deliveriesTo(emails);
    const duplicates = [...deliveries.values()].filter((times) => times > 1).length;
    // The killed worker's jobs, failed by their expiry, ran again on the other.
    const rerun = await sendJobs("retry_count > 0");
    // Waits for every receipt (a killed worker's run again after their expiry and first retry); only these posts make receipt jobs here.
    const posted = await outcomesAgainstDatabase({ query, sink, outcomes, group: web.members });
    const receiptsRerun = await jobCount({ pool, queue: QUEUES.objectionReceipt.name, condition: "retry_count > 0" });
    console.log(
      `[worker-faults] SIGKILL of one of two workers mid-campaign: ${deliveries.size} of ${count} members emailed, ${duplicates} twice (bound: ${bounds.campaignTwice}, ${concurrency} chunks of ${SEND_CHUNK_SIZE} in flight); ${active} send jobs active at the kill, ${rerun} run again; done ${doneSeconds.toFixed(1)} s after the kill (bound: ${bounds.doneSeconds} s with a ${expireSeconds} s expiry). ` +
        `Form posts meanwhile (${formPerSecond}/s): posts ${outcomes.length} (${outcomes.filter((outcome) => outcome.sentAt >= killedAt).length} after the kill), acknowledged ${posted.acknowledged.length}, stored ${posted.stored.size}, failed answers ${posted.failed.length}; receipts sent twice ${posted.deliveriesTwice} (bound: ${bounds.receiptsTwice}, ${bounds.receiptSlots} batches of ${bounds.receiptBatch} in flight), ${receiptsActive} receipt jobs active at the kill, ${receiptsRerun} run again`,
    );
    expect(deliveries.size).toBe(count);
    expect(duplicates).toBeLessThanOrEqual(bounds.campaignTwice);
    expect(rerun).toBeGreaterThan(0);
    expect(await state(id)).toEqual({ status: "done", queued: 0, sent: count, failed: 0 });
    expect(doneSeconds).toBeLessThanOrEqual(bounds.doneSeconds);
    // Posts made; every acknowledged one stored once, none failed; every receipt recorded once and arrived: more than once only within the bound.
    const { lost, storedTwice, receiptEventsNotOnce } = posted;
    const failed = posted.failed.map((outcome) => `${outcome.status} ${outcome.detail}`);
    expect({ acknowledged: posted.acknowledged.length > 0, lost, storedTwice, failed, receiptEventsNotOnce, receiptsMissing: posted.deliveriesNotOnce - posted.deliveriesTwice }).toEqual({ acknowledged: true, lost: [], storedTwice: 0, failed: [], receiptEventsNotOnce: 0, receiptsMissing: 0 });
    expect(posted.deliveriesTwice).toBeLessThanOrEqual(bounds.receiptsTwice);
  });
});

describe("exports", () => {
  let outDir: string;

  const childEnv = () => ({ ...process.env, ...TEST_ENV, TSX_TSCONFIG_PATH: "tsconfig.scripts.json", ...databaseEnv, EXPORT_DIR: outDir });
  const startExport = () => spawn(process.execPath, ["--import", "tsx", "scripts/export.ts", "--format", "jsonl"], { env: childEnv(), stdio: "ignore" });
  const runs = async () =>
    (await pool.query<{ id: string; status: string; previousRunId: string | null; files: { kind: string; rows: number }[] | null }>(`SELECT id, status, "previousRunId", files FROM "ExportRun" ORDER BY "startedAt"`)).rows;

  beforeAll(async () => {
    outDir = mkdtempSync(path.join(tmpdir(), "objection-export-crash-"));
    // Enough rows that the export is still writing when it is killed.
    await pool.query(
      `INSERT INTO "Objection" (email, country, source, "effectiveAt")
       SELECT 'export-' || i || '@example.eu', 'DE', 'email_link', now() - interval '1 day' FROM generate_series(1, $1::int) AS i`,
      [EXPORT_OBJECTIONS],
    );
  });

  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it("a run killed with SIGKILL mid-write leaves no manifest, ends failed when a worker starts, and the next run completes the chain with every objection", async () => {
    const objections = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Objection"`)).rows[0]!.n;
    const killed = startExport();
    const partial = () => readdirSync(outDir).flatMap((run) => readdirSync(path.join(outDir, run)).map((file) => path.join(outDir, run, file)));
    const deadline = Date.now() + 30_000;
    while (!partial().some((file) => file.endsWith(".partial"))) {
      if (Date.now() > deadline) throw new Error("the export did not start writing within 30 s");
      await sleep(10);
    }
    killed.kill("SIGKILL");
    await once(killed, "exit");

    const [killedRun] = readdirSync(outDir);
    expect(existsSync(path.join(outDir, killedRun ?? "", "manifest.json"))).toBe(false);
    expect((await runs()).map((run) => run.status)).toEqual(["running"]);

    processes.push(startWorker({ env: { ...TEST_ENV, ...databaseEnv, EXPORT_DIR: outDir }, logs: false }));
    await waitUntil({ check: async () => (await runs())[0]?.status === "failed", timeoutMs: 60_000, what: "the worker to mark the killed run failed" });
    expect(((await (await healthRoute()).json()) as { status: string }).status).toBe("degraded");

    const next = startExport();
    const [code] = (await once(next, "exit")) as [number | null];
    expect(code).toBe(0);
    const [failed, succeeded] = await runs();
    expect([failed?.status, succeeded?.status]).toEqual(["failed", "succeeded"]);
    // The killed run never counts as the previous one: the chain starts with the run that finished.
    expect(succeeded?.previousRunId).toBeNull();
    const snapshotRows = succeeded?.files?.find((file) => file.kind === "snapshot")?.rows;
    console.log(`SIGKILL mid-export: the next run's snapshot holds ${snapshotRows} of ${objections} objections`);
    expect(snapshotRows).toBe(objections);
    expect(await verifyExportRun({ storage: exportStorageAt(outDir), runId: succeeded!.id, publicKey: TEST_PUBLIC_KEY })).toMatchObject({ ok: true });
    expect(((await (await healthRoute()).json()) as { status: string }).status).toBe("ok");
  });
});
