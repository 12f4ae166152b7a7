import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";

import { GET as healthRoute } from "@/app/api/health/route";
import { exportStorageAt } from "@/lib/exports/export-storage";
import { verifyExportRun } from "@/lib/exports/verify-export";
import { closePgPool } from "@/lib/pg";
import { startWorker, type TStopper } from "@/scripts/lib/stack";
import { waitUntil } from "@/test/campaign-fixtures";
import { TEST_PUBLIC_KEY } from "@/test/export-fixtures";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

let database: { name: string; url: string };
let pool: pg.Pool;
let outDir: string;
let worker: TStopper | undefined;

const childEnv = () => ({ ...process.env, ...TEST_ENV, TSX_TSCONFIG_PATH: "tsconfig.scripts.json", DATABASE_URL: database.url, EXPORT_DIR: outDir });

const startExport = () => spawn(process.execPath, ["--import", "tsx", "scripts/export.ts", "--format", "jsonl"], { env: childEnv(), stdio: "ignore" });

const runStatuses = async () => (await pool.query<{ id: string; status: string; previousRunId: string | null }>(`SELECT id, status, "previousRunId" FROM "ExportRun" ORDER BY "startedAt"`)).rows;

beforeAll(async () => {
  database = await createTestDatabase("objection_export_crash");
  Object.assign(process.env, { DATABASE_URL: database.url });
  pool = new pg.Pool({ connectionString: database.url, max: 1 });
  outDir = mkdtempSync(path.join(tmpdir(), "objection-export-crash-"));
  // Enough rows that the export is still writing when it is killed.
  await pool.query(
    `INSERT INTO "Objection" (email, country, source, "effectiveAt")
     SELECT 'member-' || i || '@example.eu', 'DE', 'email_link', now() - interval '1 day' FROM generate_series(1, 400000) AS i`,
  );
});

afterAll(async () => {
  await worker?.stop();
  await closePgPool();
  await pool.end();
  await dropTestDatabase(database.name);
  rmSync(outDir, { recursive: true, force: true });
});

it("a run killed with SIGKILL mid-write leaves no manifest, ends failed when a worker starts, and the next run completes the chain", { timeout: 180_000 }, async () => {
  const killed = startExport();
  const partial = () => readdirSync(outDir).flatMap((run) => readdirSync(path.join(outDir, run)).map((file) => path.join(outDir, run, file)));
  await waitUntil({ check: async () => partial().some((file) => file.endsWith(".partial")), timeoutMs: 90_000, what: "the export to start writing" });
  killed.kill("SIGKILL");
  await once(killed, "exit");

  const [killedRun] = readdirSync(outDir);
  expect(existsSync(path.join(outDir, killedRun ?? "", "manifest.json"))).toBe(false);
  expect((await runStatuses()).map((run) => run.status)).toEqual(["running"]);

  worker = startWorker({ env: { ...TEST_ENV, DATABASE_URL: database.url, EXPORT_DIR: outDir }, logs: false });
  await waitUntil({ check: async () => (await runStatuses())[0]?.status === "failed", timeoutMs: 60_000, what: "the worker to mark the killed run failed" });
  const health = (await (await healthRoute()).json()) as { status: string };
  expect(health.status).toBe("degraded");

  const next = startExport();
  const [code] = (await once(next, "exit")) as [number | null];
  expect(code).toBe(0);
  const runs = await runStatuses();
  expect(runs.map((run) => run.status)).toEqual(["failed", "succeeded"]);
  // The killed run never counts as the previous one: the chain starts with the run that finished.
  expect(runs[1]?.previousRunId).toBeNull();
  expect(await verifyExportRun({ storage: exportStorageAt(outDir), runId: runs[1]!.id, publicKey: TEST_PUBLIC_KEY })).toMatchObject({ ok: true });
  expect(((await (await healthRoute()).json()) as { status: string }).status).toBe("ok");
});
