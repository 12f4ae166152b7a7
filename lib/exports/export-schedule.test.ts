import { rmSync } from "node:fs";

import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";

import { waitUntil } from "@/test/campaign-fixtures";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";
import { startWorker, type TStopper } from "@/scripts/lib/stack";

let database: { name: string; url: string };
let pool: pg.Pool;
const workers: TStopper[] = [];

beforeAll(async () => {
  database = await createTestDatabase("objection_schedule");
  pool = new pg.Pool({ connectionString: database.url, max: 1 });
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await pool.end();
  await dropTestDatabase(database.name);
  rmSync(`/tmp/objection-schedule-${database.name}`, { recursive: true, force: true });
});

// Waits for a real cron tick (one a minute; pg-boss checks its schedules every 30 s), by design:
// 72 s measured, 150 s allowed.
it("runs the nightly export once per tick however many workers are up", { timeout: 150_000 }, async () => {
  const env = {
    ...TEST_ENV,
    DATABASE_URL: database.url,
    EXPORT_HASH_KEY: "export-hash-key-for-tests-0123456789abcdef",
    EXPORT_DIR: `/tmp/objection-schedule-${database.name}`,
    // Every minute, so the test sees a tick; pg-boss checks its schedules every 30 s.
    EXPORT_CRON: "* * * * *",
  };
  workers.push(startWorker({ env, logs: false }), startWorker({ env, logs: false }));

  await waitUntil({
    check: async () => Number((await pool.query(`SELECT count(*) FROM "ExportRun" WHERE status = 'succeeded'`)).rows[0].count) >= 1,
    timeoutMs: 120_000,
    what: "the first scheduled export",
  });
  await new Promise((resolve) => setTimeout(resolve, 5_000));

  const perMinute = await pool.query<{ runs: string }>(`SELECT count(*) AS runs FROM "ExportRun" GROUP BY date_trunc('minute', "startedAt")`);
  expect(perMinute.rows.length).toBeGreaterThanOrEqual(1);
  expect(perMinute.rows.every((row) => Number(row.runs) === 1)).toBe(true);
});
