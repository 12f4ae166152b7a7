import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect, test as base } from "@playwright/test";
import pg from "pg";
import PgBoss from "pg-boss";

import { manifestSignatureProblem, type TExportManifest } from "../lib/exports/export-manifest";
import { parsePublicKey } from "../lib/exports/signing-key";
import { startApp, startWorker, stopAll, type TStopper } from "../scripts/lib/stack";
import { startS3Server, TEST_BUCKET } from "../test/s3-server";
import { createTestDatabase, dropTestDatabase } from "../test/test-database";
import { TEST_ENV } from "../test/test-env";
import { E2E_EXPORT_PORTS } from "./ports";

const PIPELINE_TOKEN = "pipeline-token-for-e2e-0123456789abcdef0";

type TSplitStack = { appUrl: string; databaseUrl: string; db: pg.Pool; webDir: string; workerDir: string };

// A web process and a worker, as on two hosts: each has its own EXPORT_DIR, and they share
// nothing but PostgreSQL and the bucket. The exported files exist only in the bucket.
const test = base.extend<object, { stack: TSplitStack }>({
  stack: [
    async ({}, use) => {
      const s3 = await startS3Server();
      const database = await createTestDatabase("objection_e2e_export");
      const webDir = mkdtempSync(path.join(tmpdir(), "objection-web-"));
      const workerDir = mkdtempSync(path.join(tmpdir(), "objection-worker-"));
      const shared = { ...TEST_ENV, ...s3.env, DATABASE_URL: database.url, EXPORT_API_TOKEN: PIPELINE_TOKEN, EXPORT_STORAGE: `s3://${TEST_BUCKET}/nightly` };
      const parts: TStopper[] = [];
      const db = new pg.Pool({ connectionString: database.url, max: 2 });
      try {
        parts.push(startWorker({ env: { ...shared, EXPORT_DIR: workerDir }, logs: !!process.env.E2E_LOGS }));
        parts.push(await startApp({ env: { ...shared, EXPORT_DIR: webDir, APP_URL: `http://127.0.0.1:${E2E_EXPORT_PORTS.app}` }, port: E2E_EXPORT_PORTS.app, logs: !!process.env.E2E_LOGS }));
        await use({ appUrl: `http://127.0.0.1:${E2E_EXPORT_PORTS.app}`, databaseUrl: database.url, db, webDir, workerDir });
      } finally {
        await stopAll(parts);
        await db.end();
        await dropTestDatabase(database.name);
        await s3.stop();
        rmSync(webDir, { recursive: true, force: true });
        rmSync(workerDir, { recursive: true, force: true });
      }
    },
    // An s3rver, a database, a worker and a web process: up in about 5 s here.
    { scope: "worker" },
  ],
});

test("the pipeline API serves a run that only the bucket holds, written by a worker in another process", async ({ stack, request }) => {
  await stack.db.query(
    `WITH members AS (
       INSERT INTO "Member" ("externalId", email, country, "birthDate")
       SELECT 'split-' || i, 'split-' || i || '@example.eu', 'FR', '1980-01-01' FROM generate_series(1, 25) AS i RETURNING id, email)
     INSERT INTO "Objection" ("memberId", email, country, source) SELECT id, email, 'FR', 'email_link' FROM members`,
  );
  // The nightly job, now: what the cron would send at 02:00.
  const boss = new PgBoss({ connectionString: stack.databaseUrl, max: 1 });
  await boss.start();
  await expect.poll(async () => (await boss.getQueue("export-nightly")) !== null, { timeout: 30_000 }).toBe(true);
  await boss.send("export-nightly", {});
  await expect
    .poll(async () => (await stack.db.query<{ status: string }>(`SELECT status FROM "ExportRun"`)).rows.map((row) => row.status).join(","), { timeout: 30_000 })
    .toBe("succeeded");
  await boss.stop({ graceful: false, wait: false });

  const auth = { authorization: `Bearer ${PIPELINE_TOKEN}` };
  const latest = await request.get(`${stack.appUrl}/api/v1/exports/latest`, { headers: auth });
  expect(latest.status()).toBe(200);
  const { acknowledgedAt, ...manifest } = (await latest.json()) as TExportManifest & { acknowledgedAt: string | null };
  expect(acknowledgedAt).toBeNull();

  const key = (await (await request.get(`${stack.appUrl}/api/v1/exports/public-key`, { headers: auth })).json()) as { publicKeyPem: string };
  expect(manifestSignatureProblem({ manifest, publicKey: parsePublicKey(key.publicKeyPem)! })).toBeNull();

  for (const file of manifest.files) {
    const response = await request.get(`${stack.appUrl}/api/v1/exports/${manifest.runId}/files/${file.name}`, { headers: auth });
    expect(response.status()).toBe(200);
    const body = await response.body();
    expect(createHash("sha256").update(body).digest("hex")).toBe(file.sha256);
  }
  expect(manifest.files.find((file) => file.kind === "snapshot")?.rows).toBe(25);
  // Neither host wrote the run to its own disk.
  expect(readdirSync(stack.webDir)).toEqual([]);
  expect(readdirSync(stack.workerDir)).toEqual([]);

  expect((await request.post(`${stack.appUrl}/api/v1/exports/${manifest.runId}/ack`, { headers: auth })).status()).toBe(200);
  const health = (await (await request.get(`${stack.appUrl}/api/health`)).json()) as { status: string; export: { acknowledged: boolean } };
  expect(health).toMatchObject({ status: "ok", export: { acknowledged: true } });
});
