import { setTimeout as sleep } from "node:timers/promises";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CHAIN_TABLES } from "@/lib/audit/audit-chain-hash";
import { chainAuditLogs } from "@/lib/audit/chain-audit-log";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { asSuperuser, insertAuditEvent, insertObjection, insertObjectionEvent } from "@/test/audit-chain-fixtures";

// The file's own database (test/file-database.ts): its chains hold only what this file writes.
let pool: pg.Pool;
let objectionId: string;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 16 });
  objectionId = await insertObjection(pool);
});

afterAll(async () => {
  await pool.end();
});

/** Runs `work` in a transaction on a connection of its own. */
const inTransaction = async (work: (client: pg.PoolClient) => Promise<unknown>, { commit = true } = {}) => {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await work(client);
    await client.query(commit ? "COMMIT" : "ROLLBACK");
  } finally {
    client.release();
  }
};

/** Chains until nothing is left. */
const chainAll = async () => {
  for (;;) {
    const chained = await chainAuditLogs({ pool, batchSize: 7 });
    if (chained.AuditEvent === 0 && chained.ObjectionEvent === 0) return;
  }
};

describe("the chainer under concurrent writers", () => {
  it("chains every committed row exactly once, rows committed late after earlier ones, and the chain verifies", async () => {
    const writers = 30;
    let chainerRounds = 0;
    let writing = true;
    const isHeld = (index: number) => index % 5 === 0;
    const held = Array.from({ length: writers }, (_, index) => index).filter(isHeld).length;
    // Held writers insert first (the lowest ids), then commit only once the chain holds a higher
    // id of each table: rows committed after rows with higher ids were chained. The others insert
    // only once every held writer has.
    let heldInserted = 0;
    const allHeldInserted = async () => {
      while (heldInserted < held) await sleep(2);
    };
    const overtaken = async (ids: { audit: string; event: string }) => {
      for (;;) {
        const { rows } = await pool.query<{ both: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM "AuditEvent" WHERE "chainSeq" IS NOT NULL AND id > $1) AND EXISTS (SELECT 1 FROM "ObjectionEvent" WHERE "chainSeq" IS NOT NULL AND id > $2) AS both`,
          [ids.audit, ids.event],
        );
        if (rows[0]!.both) return;
        await sleep(5);
      }
    };
    const writer = async (index: number) => {
      const rolledBack = index % 7 === 3;
      if (!isHeld(index)) await allHeldInserted();
      await inTransaction(
        async (client) => {
          const ids = { audit: "0", event: "0" };
          for (let row = 0; row < 3; row++) {
            ids.audit = await insertAuditEvent({ db: client, detail: { writer: index, row } });
            ids.event = await insertObjectionEvent({ db: client, objectionId, detail: { writer: index, row } });
          }
          // A set-based insert, as the bulk paths write (lib/audit/audit-sql.ts, the prior-objections import).
          if (index % 4 === 1) {
            await client.query(
              `INSERT INTO "ObjectionEvent" ("objectionId", type, "actorType", detail) SELECT $1, 'matched', 'system', jsonb_build_object('bulk', $2::int, 'i', i) FROM generate_series(1, 20) AS i`,
              [objectionId, index],
            );
          }
          if (isHeld(index)) {
            heldInserted++;
            await overtaken(ids);
          } else await sleep(index % 3);
        },
        { commit: !rolledBack },
      );
    };
    // Two chainers side by side, as two workers run them: the head's lock lets one at a time chain a table.
    const chainer = async () => {
      while (writing) {
        await chainAuditLogs({ pool, batchSize: 7 });
        chainerRounds++;
        await sleep(2);
      }
    };
    const chainers = [chainer(), chainer()];
    await Promise.all(Array.from({ length: writers }, (_, index) => writer(index)));
    writing = false;
    await Promise.all(chainers);
    await chainAll();

    const committed = Array.from({ length: writers }, (_, index) => index).filter((index) => index % 7 !== 3);
    const expected = {
      AuditEvent: committed.length * 3,
      ObjectionEvent: committed.length * 3 + committed.filter((index) => index % 4 === 1).length * 20,
    };
    for (const table of CHAIN_TABLES) {
      const { rows } = await pool.query<{ total: number; unchained: number; distinctSeqs: number; minSeq: string; maxSeq: string; head: string }>(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE "chainSeq" IS NULL)::int AS unchained, count(DISTINCT "chainSeq")::int AS "distinctSeqs",
                min("chainSeq")::text AS "minSeq", max("chainSeq")::text AS "maxSeq", (SELECT seq::text FROM "AuditChainHead" WHERE chain = $1) AS head
           FROM "${table}" WHERE detail ? 'writer' OR detail ? 'bulk'`,
        [table],
      );
      expect(rows[0], table).toEqual({ total: expected[table], unchained: 0, distinctSeqs: expected[table], minSeq: "1", maxSeq: String(expected[table]), head: String(expected[table]) });
      // The held writers' rows have lower ids than rows chained before them: chain order is commit order, not id order.
      const { rows: late } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${table}" a JOIN "${table}" b ON a.id < b.id AND a."chainSeq" > b."chainSeq" WHERE a.detail->>'writer' = '0'`,
      );
      expect(late[0]!.n, table).toBeGreaterThan(0);
    }
    expect(chainerRounds).toBeGreaterThanOrEqual(3);
    const verdict = await verifyAuditChain({ pool });
    expect(verdict.problems).toEqual([]);
    expect(verdict.checked).toEqual(expected);
  });
});

describe("the chainer's queue", () => {
  it("lets a queued row that is gone (deleted by a superuser before it was chained) leave the queue, and chains the rest", async () => {
    const ids = [await insertAuditEvent({ db: pool }), await insertAuditEvent({ db: pool }), await insertAuditEvent({ db: pool })];
    await asSuperuser({ pool, table: "AuditEvent", sql: `DELETE FROM "AuditEvent" WHERE id = $1`, values: [ids[0]] });
    // Batches of one: the first holds only the missing row, and must not stall the queue.
    while ((await chainAuditLogs({ pool, batchSize: 1 })).AuditEvent > 0 || (await pool.query(`SELECT 1 FROM "AuditChainPending" WHERE chain = 'AuditEvent' LIMIT 1`)).rows.length > 0);
    const { rows } = await pool.query<{ id: string; chained: boolean }>(`SELECT id::text AS id, "chainSeq" IS NOT NULL AS chained FROM "AuditEvent" WHERE id = ANY($1::bigint[]) ORDER BY id`, [ids]);
    expect(rows).toEqual([
      { id: ids[1], chained: true },
      { id: ids[2], chained: true },
    ]);
    expect((await verifyAuditChain({ pool })).problems).toEqual([]);
  });
});

describe("the append-only triggers", () => {
  const refused = (promise: Promise<unknown>) => expect(promise).rejects.toMatchObject({ code: "42501", message: expect.stringMatching(/is append-only \((UPDATE|DELETE|TRUNCATE) refused\)/) });

  it("allow one chaining of a row, and refuse a second, a content change and a chaining that changes content", async () => {
    const [auditId, eventId] = [await insertAuditEvent({ db: pool }), await insertObjectionEvent({ db: pool, objectionId })];
    for (const [table, id] of [["AuditEvent", auditId], ["ObjectionEvent", eventId]] as const) {
      // Unchained: its content cannot change, with or without chaining it.
      await refused(pool.query(`UPDATE "${table}" SET detail = '{"changed": true}' WHERE id = $1`, [id]));
      await refused(pool.query(`UPDATE "${table}" SET detail = '{"changed": true}', "chainSeq" = 900000, "prevHash" = '\\x${"00".repeat(32)}', hash = '\\x${"11".repeat(32)}' WHERE id = $1`, [id]));
      // The one allowed update: the chain's columns from NULL, nothing else.
      await pool.query(`UPDATE "${table}" SET "chainSeq" = 900000, "prevHash" = '\\x${"00".repeat(32)}', hash = '\\x${"11".repeat(32)}' WHERE id = $1`, [id]);
      // Chained: neither its chain columns nor its content change again.
      await refused(pool.query(`UPDATE "${table}" SET "chainSeq" = 900001, "prevHash" = '\\x${"22".repeat(32)}', hash = '\\x${"33".repeat(32)}' WHERE id = $1`, [id]));
      await refused(pool.query(`UPDATE "${table}" SET hash = '\\x${"44".repeat(32)}' WHERE id = $1`, [id]));
      await refused(pool.query(`UPDATE "${table}" SET "createdAt" = now() - interval '1 day' WHERE id = $1`, [id]));
      const { rows } = await pool.query<{ chainSeq: string; hash: Buffer }>(`SELECT "chainSeq"::text AS "chainSeq", hash FROM "${table}" WHERE id = $1`, [id]);
      expect(rows[0]).toEqual({ chainSeq: "900000", hash: Buffer.alloc(32, 0x11) });
    }
  });

  it("refuse DELETE and TRUNCATE, chained or not", async () => {
    const [auditId, eventId] = [await insertAuditEvent({ db: pool }), await insertObjectionEvent({ db: pool, objectionId })];
    for (const [table, id] of [["AuditEvent", auditId], ["ObjectionEvent", eventId]] as const) {
      await refused(pool.query(`DELETE FROM "${table}" WHERE id = $1`, [id]));
      await refused(pool.query(`DELETE FROM "${table}" WHERE "chainSeq" IS NOT NULL`));
      await refused(pool.query(`TRUNCATE "${table}" CASCADE`));
    }
  });
});
