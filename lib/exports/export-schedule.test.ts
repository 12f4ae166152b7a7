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

// A real cron schedule, checked every second by both workers (JOBS_CRON_CHECK_SECONDS): each
// checks about twenty times before the first export has run, and pg-boss sends a schedule's job
// once a minute however often and by however many workers it is checked.
it("runs the nightly export once per tick however many workers are up", { timeout: 40_000 }, async () => {
  const env = {
    ...TEST_ENV,
    DATABASE_URL: database.url,
    EXPORT_HASH_KEY: "export-hash-key-for-tests-0123456789abcdef",
    EXPORT_DIR: `/tmp/objection-schedule-${database.name}`,
    // Every minute: due as soon as the workers are up.
    EXPORT_CRON: "* * * * *",
    JOBS_CRON_CHECK_SECONDS: "1",
  };
  const minuteNow = async () => (await pool.query<{ minute: Date }>(`SELECT date_trunc('minute', now()) AS minute`)).rows[0]!.minute.getTime();
  const firstMinute = await minuteNow();
  workers.push(startWorker({ env, logs: false }), startWorker({ env, logs: false }));

  await waitUntil({
    check: async () => Number((await pool.query(`SELECT count(*) FROM "ExportRun" WHERE status = 'succeeded'`)).rows[0].count) >= 1,
    timeoutMs: 20_000,
    what: "the first scheduled export",
  });
  // Eight more checks by each worker.
  await new Promise((resolve) => setTimeout(resolve, 8_000));

  // One run for each minute the test has spanned (one, or two across a minute's end), not one per check.
  const minutesSpanned = (await minuteNow() - firstMinute) / 60_000 + 1;
  const runs = Number((await pool.query(`SELECT count(*) FROM "ExportRun"`)).rows[0].count);
  expect(runs).toBeGreaterThanOrEqual(1);
  expect(runs).toBeLessThanOrEqual(minutesSpanned);
});
