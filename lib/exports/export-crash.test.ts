import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";

import { waitUntil } from "@/test/campaign-fixtures";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

const HASH_KEY = "export-hash-key-for-tests-0123456789abcdef";

let database: { name: string; url: string };
let pool: pg.Pool;
let outDir: string;

const startExport = () =>
  spawn(process.execPath, ["--import", "tsx", "scripts/export.ts", "--out", outDir, "--format", "jsonl"], {
    env: { ...process.env, ...TEST_ENV, TSX_TSCONFIG_PATH: "tsconfig.scripts.json", DATABASE_URL: database.url, EXPORT_HASH_KEY: HASH_KEY },
    stdio: "ignore",
  });

beforeAll(async () => {
  database = await createTestDatabase("objection_export_crash");
  pool = new pg.Pool({ connectionString: database.url, max: 1 });
  outDir = mkdtempSync(path.join(tmpdir(), "objection-export-crash-"));
  // Enough rows that the export is still writing when it is killed.
  await pool.query(
    `INSERT INTO "Objection" (email, country, source, "effectiveAt")
     SELECT 'member-' || i || '@example.eu', 'DE', 'email_link', now() - interval '1 day' FROM generate_series(1, 400000) AS i`,
  );
});

afterAll(async () => {
  await pool.end();
  await dropTestDatabase(database.name);
  rmSync(outDir, { recursive: true, force: true });
});

it("an export killed with SIGKILL mid-write leaves no manifest, and the next run completes", { timeout: 120_000 }, async () => {
  const killed = startExport();
  const partial = () => readdirSync(outDir).flatMap((run) => readdirSync(path.join(outDir, run)).map((file) => path.join(outDir, run, file)));
  await waitUntil({ check: async () => partial().some((file) => file.endsWith(".partial")), timeoutMs: 60_000, what: "the export to start writing" });
  killed.kill("SIGKILL");
  await once(killed, "exit");

  const [killedRun] = readdirSync(outDir);
  expect(existsSync(path.join(outDir, killedRun ?? "", "manifest.json"))).toBe(false);
  expect(partial().filter((file) => !file.endsWith(".partial")).every((file) => file.endsWith("snapshot.jsonl"))).toBe(true);

  const next = startExport();
  const [code] = (await once(next, "exit")) as [number | null];
  expect(code).toBe(0);
  const runs = await pool.query<{ id: string; status: string; previousRunId: string | null }>(`SELECT id, status, "previousRunId" FROM "ExportRun" ORDER BY "startedAt"`);
  expect(runs.rows.map((run) => run.status)).toEqual(["running", "succeeded"]);
  // The killed run never counts as the previous one.
  expect(runs.rows[1]?.previousRunId).toBeNull();
  expect(existsSync(path.join(outDir, runs.rows[1]?.id ?? "", "manifest.json"))).toBe(true);
});
