import { randomUUID } from "node:crypto";

import pg from "pg";
import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { QUEUES } from "@/lib/jobs";
import { startWorker, type TStopper } from "@/scripts/lib/stack";
import { deliveriesByRecipient, seedMembers, waitUntil } from "@/test/campaign-fixtures";
import { startSmtpSink, type TSmtpSink } from "@/test/smtp-sink";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

const BACKLOG = 300;
// A worker that took one receipt per polling interval (one a second) needed five minutes for this
// backlog; a bound this generous only fails if receipts are fetched or sent one at a time. It
// drains in about 1 s.
const DRAIN_BOUND_MS = 60_000;

let database: { name: string; url: string };
let pool: pg.Pool;
let sink: TSmtpSink;
let worker: TStopper | undefined;

beforeAll(async () => {
  // A worker drains every receipt job in its database, so this file has a database of its own.
  database = await createTestDatabase("objection_receipts");
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  sink = await startSmtpSink();
});

afterAll(async () => {
  await worker?.stop();
  await pool.end();
  await sink.stop();
  await dropTestDatabase(database.name);
});

describe("the receipt queue", () => {
  it(`drains a backlog of ${BACKLOG.toLocaleString("en")} receipts, each sent once, far faster than one a second`, async () => {
    const emails = await seedMembers({ pool, prefix: `backlog-${randomUUID()}`, count: BACKLOG, country: "IE" });
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO "Objection" ("memberId", email, country, source, status)
       SELECT id, email, country, 'direct', 'effective' FROM "Member" WHERE email = ANY($1) RETURNING id`,
      [emails],
    );
    const boss = new PgBoss({ connectionString: database.url, max: 2, supervise: false, schedule: false });
    await boss.start();
    await boss.createQueue(QUEUES.objectionReceipt.name, QUEUES.objectionReceipt);
    await boss.insert(rows.map((row) => ({ name: QUEUES.objectionReceipt.name, data: { objectionId: row.id } })));
    await boss.stop({ graceful: false });

    const started = Date.now();
    worker = startWorker({ env: { ...TEST_ENV, DATABASE_URL: database.url, SMTP_URL: sink.url }, logs: false });
    const sentEvents = async () => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "ObjectionEvent" WHERE type = 'receipt_sent'`)).rows[0]?.n);
    await waitUntil({ check: async () => (await sentEvents()) >= BACKLOG, timeoutMs: DRAIN_BOUND_MS, what: `${BACKLOG} receipts` });
    const elapsedMs = Date.now() - started;

    expect(elapsedMs).toBeLessThan(DRAIN_BOUND_MS);
    await waitUntil({ check: async () => sink.messages.length >= BACKLOG, timeoutMs: 10_000, what: "the sink to parse every receipt" });
    const deliveries = deliveriesByRecipient(sink.messages);
    expect(deliveries.size).toBe(BACKLOG);
    expect([...deliveries.values()].every((count) => count === 1)).toBe(true);
    const perObjection = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM "Objection" o WHERE (SELECT count(*) FROM "ObjectionEvent" e WHERE e."objectionId" = o.id AND e.type = 'receipt_sent') <> 1`,
    );
    expect(Number(perObjection.rows[0]?.n)).toBe(0);
  });
});
