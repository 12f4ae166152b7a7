import { rmSync } from "node:fs";

import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";

import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { startWorker, type TStopper } from "@/scripts/lib/stack";
import { insertAuditEvent, insertObjection, insertObjectionEvent } from "@/test/audit-chain-fixtures";
import { waitUntil } from "@/test/campaign-fixtures";
import { TEST_ENV } from "@/test/test-env";

// The file's own database (test/file-database.ts), and two workers on it.
let pool: pg.Pool;
const workers: TStopper[] = [];
const ready: Promise<void>[] = [];
const exportDir = `/tmp/objection-chainer-${process.pid}`;

beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  const env = { ...TEST_ENV, DATABASE_URL: process.env.DATABASE_URL!, EXPORT_DIR: exportDir };
  for (let index = 0; index < 2; index++) {
    let started!: () => void;
    ready.push(new Promise<void>((resolve) => (started = resolve)));
    workers.push(startWorker({ env, logs: false, onLine: (line) => void (line.includes("worker_ready") && started()) }));
  }
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await pool.end();
  rmSync(exportDir, { recursive: true, force: true });
});

it("the workers chain what any path inserts, each row once, however many workers run", async () => {
  const objectionId = await insertObjection(pool);
  for (let index = 0; index < 5; index++) {
    await insertAuditEvent({ db: pool, detail: { index } });
    await insertObjectionEvent({ db: pool, objectionId, detail: { index } });
  }
  await Promise.all(ready);
  await waitUntil({
    check: async () => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "AuditChainPending"`)).rows[0]!.n) === 0,
    timeoutMs: 10_000,
    what: "the workers to chain every row",
  });
  const { rows } = await pool.query<{ chain: string; seq: string }>(`SELECT chain, seq::text AS seq FROM "AuditChainHead" ORDER BY chain`);
  expect(rows).toEqual([
    { chain: "AuditEvent", seq: "5" },
    { chain: "ObjectionEvent", seq: "5" },
  ]);
  const verdict = await verifyAuditChain({ pool });
  expect(verdict.problems).toEqual([]);
});
