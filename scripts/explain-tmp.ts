import { readFileSync } from "node:fs";
import pg from "pg";
import PgBoss from "pg-boss";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { QUEUES } from "@/lib/jobs";
const main = async () => {
  const database = await createTestDatabase("objection_explain");
  try {
    const boss = new PgBoss({ connectionString: database.url, supervise: false, schedule: false }); await boss.start(); await boss.createQueue(QUEUES.objectionReceipt.name, QUEUES.objectionReceipt); await boss.stop({ graceful: false });
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    await pool.query(`INSERT INTO "Member" ("externalId", email, country, "birthDate") SELECT 'm'||i, 'm'||i||'@example.eu', 'DE', '1990-01-01' FROM generate_series(1,30000) i`);
    await pool.query(`INSERT INTO "Notification" ("memberId", channel, status) SELECT id, 'email', 'sent' FROM "Member"`);
    await pool.query("ANALYZE");
    const src = readFileSync("lib/objections/submit-objection.ts", "utf8");
    const sql = /const SUBMIT_SQL = `([\s\S]*?)`;/.exec(src)![1]!.replace("${enqueueJobsSql({ queue: QUEUES.objectionReceipt.name, from: \"receipt\" })}", (await import("@/lib/jobs")).enqueueJobsSql({ queue: QUEUES.objectionReceipt.name, from: "receipt" }));
    const ids = (await pool.query(`SELECT id FROM "Notification" LIMIT 200`)).rows.map((r) => r.id);
    for (let i = 0; i < 3; i++) {
      const r = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, TIMING) ${sql}`, ["notification", ids[i], "direct", "DE", null]);
      if (i === 2) console.log(r.rows.map((x) => x["QUERY PLAN"]).join("\n"));
    }
    let t = process.hrtime.bigint();
    for (let i = 10; i < 200; i++) await pool.query(sql, ["notification", ids[i], "direct", "DE", null]);
    console.log("per statement ms", Number(process.hrtime.bigint() - t) / 1e6 / 190);
    const base = await pool.query(`CREATE TABLE bl (id bigserial primary key, v text, at timestamptz default now())`);
    t = process.hrtime.bigint();
    for (let i = 0; i < 190; i++) await pool.query(`INSERT INTO bl (v) VALUES ($1)`, ["x" + i]);
    console.log("baseline insert ms", Number(process.hrtime.bigint() - t) / 1e6 / 190, base.command);
    await pool.end();
  } finally { await dropTestDatabase(database.name); }
};
void main();
