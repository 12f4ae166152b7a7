import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

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
import { startWorker } from "@/scripts/lib/stack";
import { deliveriesByRecipient, recipientOf, seedMembers, waitUntil } from "@/test/campaign-fixtures";
import { TEST_PUBLIC_KEY } from "@/test/export-fixtures";
import { startSmtpSink, type TSmtpSink } from "@/test/smtp-sink";
import { closeTestDatabase } from "@/test/close-test-database";
import { createTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

// Faults in the worker and the mail path: the SMTP server stopped mid-campaign, the worker killed
// with SIGKILL mid-campaign and mid-export. Nothing is lost; after a SIGKILL, at most the chunks in
// flight are sent twice, and the test prints how many were.

// Enough that the export is still writing well after its first file appears (about 1.5 s of
// writing here), so the kill lands mid-write; the test polls for that file every 10 ms.
const EXPORT_OBJECTIONS = 100_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let database: { name: string; url: string };
let pool: pg.Pool;
const workers: ReturnType<typeof startWorker>[] = [];

beforeAll(async () => {
  // Campaigns reach every eligible member in the database, and the export takes every objection: a database of its own.
  database = await createTestDatabase("objection_worker_faults");
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
});

afterAll(async () => {
  await closeTestDatabase({ database, clients: [pool] });
});

describe("campaigns", () => {
  let sink: TSmtpSink;
  let delivered: TSmtpSink["messages"] = [];

  const spawnWorker = (extra: Record<string, string>) => {
    const worker = startWorker({
      env: { ...TEST_ENV, DATABASE_URL: database.url, SMTP_URL: sink.url, CAMPAIGN_BATCH_SIZE: "100", CAMPAIGN_BATCH_EXPIRE_SECONDS: "4", JOBS_MAINTENANCE_SECONDS: "1", ...extra },
      logs: false,
    });
    workers.push(worker);
    return worker;
  };

  const launch = async (country: NonNullable<TCreateCampaign["countries"]>[number]) => {
    const { id } = await createCampaign({ actor: PLATFORM_ACTOR, campaign: { name: `faults ${randomUUID()}`, channels: ["email"], countries: [country] } });
    await launchCampaign({ campaignId: id, actor: PLATFORM_ACTOR });
    return id;
  };

  const state = async (id: string) => {
    const { rows } = await pool.query<{ status: string; queued: number; sent: number; failed: number }>(
      `SELECT c.status,
         count(*) FILTER (WHERE n.status = 'queued')::int AS queued,
         count(*) FILTER (WHERE n.status = 'sent')::int AS sent,
         count(*) FILTER (WHERE n.status = 'failed')::int AS failed
       FROM "Campaign" c LEFT JOIN "Notification" n ON n."campaignId" = c.id WHERE c.id = $1 GROUP BY c.status`,
      [id],
    );
    return rows[0]!;
  };

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

  it("finishes after its worker is killed with SIGKILL, with at most the chunks in flight sent twice", async () => {
    const emails = await seedMembers({ pool, prefix: `killed-${randomUUID()}`, count: 400, country: "NL" });
    const concurrency = 2;
    const first = spawnWorker({ MAIL_RATE_PER_SEC: "150", WORKER_BATCH_CONCURRENCY: String(concurrency) });
    const id = await launch("NL");

    await waitUntil({ check: async () => (await state(id)).sent >= 100, timeoutMs: 30_000, what: "the first emails" });
    // A commit was just seen: wait a little, so the kill lands with chunks half sent.
    await sleep(100);
    first.child.kill("SIGKILL");
    spawnWorker({});

    await waitForDone(id);
    const deliveries = deliveriesTo(emails);
    const duplicates = [...deliveries.values()].filter((count) => count > 1).length;
    // Each send job the killed worker ran had at most one chunk claimed and not yet recorded.
    const bound = SEND_CHUNK_SIZE * concurrency;
    console.log(`SIGKILL mid-campaign: ${duplicates} duplicate(s) among 400 (bound: ${bound}, ${concurrency} chunks of ${SEND_CHUNK_SIZE} in flight)`);
    expect(deliveries.size).toBe(400);
    expect(duplicates).toBeLessThanOrEqual(bound);
    expect(await state(id)).toEqual({ status: "done", queued: 0, sent: 400, failed: 0 });
  });
});

describe("exports", () => {
  let outDir: string;

  const childEnv = () => ({ ...process.env, ...TEST_ENV, TSX_TSCONFIG_PATH: "tsconfig.scripts.json", DATABASE_URL: database.url, EXPORT_DIR: outDir });
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

    workers.push(startWorker({ env: { ...TEST_ENV, DATABASE_URL: database.url, EXPORT_DIR: outDir }, logs: false }));
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
