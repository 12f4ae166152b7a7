import { setTimeout as sleep } from "node:timers/promises";

import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";

import { startAuditChainer } from "@/lib/audit/start-audit-chainer";
import { closePgPool } from "@/lib/pg";
import { insertObjection, insertObjectionEvent } from "@/test/audit-chain-fixtures";
import { waitUntil } from "@/test/campaign-fixtures";

// The worker's chainer (on the process's pool, as in the worker) when PostgreSQL ends its
// connection in the middle of a batch, as a restart does (faults/postgres-restart.test.ts): the
// worker died of it ("Unhandled 'error' event" on the batch's pg client), so no receipt went out after the restart.
let pool: pg.Pool;
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => void uncaught.push(error);

beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 3 });
  process.on("uncaughtException", onUncaught);
});

afterAll(async () => {
  process.off("uncaughtException", onUncaught);
  await closePgPool();
  await pool.end();
});

const pendingCount = async () => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "AuditChainPending"`)).rows[0]!.n);

it("survives its connection terminated mid-batch, and chains what waits on its next round", async () => {
  const objectionId = await insertObjection(pool);
  await insertObjectionEvent({ db: pool, objectionId, detail: { before: true } });
  // The chain heads' table locked outright: the chainer's batch (after its BEGIN) waits at the head's lock.
  const blocker = await pool.connect();
  await blocker.query("BEGIN");
  await blocker.query(`LOCK TABLE "AuditChainHead" IN ACCESS EXCLUSIVE MODE`);
  const stop = startAuditChainer({ pollMs: 50 });
  try {
    let chainerPid = 0;
    await waitUntil({
      check: async () => {
        const { rows } = await pool.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE SKIP LOCKED%'`,
        );
        chainerPid = rows[0]?.pid ?? 0;
        return chainerPid !== 0;
      },
      timeoutMs: 10_000,
      what: "the chainer's batch to wait at the head's lock",
    });
    await pool.query("SELECT pg_terminate_backend($1)", [chainerPid]);
    // Long enough for the socket's end to reach the client, then the head is free again.
    await sleep(200);
    await blocker.query("ROLLBACK");
    blocker.release();
    await insertObjectionEvent({ db: pool, objectionId, detail: { after: true } });
    await waitUntil({ check: async () => (await pendingCount()) === 0, timeoutMs: 10_000, what: "the chainer to chain both rows after the lost connection" });
    expect(uncaught).toEqual([]);
    const { rows } = await pool.query<{ seq: string }>(`SELECT seq::text AS seq FROM "AuditChainHead" WHERE chain = 'ObjectionEvent'`);
    expect(Number(rows[0]!.seq)).toBeGreaterThanOrEqual(2);
  } finally {
    await stop();
  }
});
