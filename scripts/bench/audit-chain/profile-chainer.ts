// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/audit-chain/profile-chainer.ts [--rows N] [--batch N]`
// The chainer alone over a backlog: N queued ObjectionEvent rows (like the form's "created" event),
// chained batch after batch in its own database (dropped at the end), with the CPU of this process
// and of its server process per row. Run it under `node --cpu-prof` to see where the Node part goes.
import { parseArgs } from "node:util";

import pg from "pg";

import { chainAuditBatch } from "@/lib/audit/chain-audit-log";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";

import { backendsCpuMs, ownCpuMs } from "./cpu";

const { values } = parseArgs({ options: { rows: { type: "string", default: "100000" }, batch: { type: "string", default: "5000" } }, strict: true });
const ROWS = Number(values.rows);
const BATCH = Number(values.batch);

const main = async () => {
  const database = await createTestDatabase("objection_bench_chainprof");
  try {
    const seed = new pg.Pool({ connectionString: database.url, max: 1 });
    // Rows as the form writes them; replica role skips the objection foreign key and the queue trigger, so the queue is filled here.
    await seed.query(`SET session_replication_role = replica`);
    await seed.query(
      `INSERT INTO "ObjectionEvent" ("objectionId", type, "actorType", "actorId", detail)
       SELECT gen_random_uuid(), 'created', 'member', gen_random_uuid()::text, jsonb_build_object('source', 'form') FROM generate_series(1, $1)`,
      [ROWS],
    );
    await seed.query(`INSERT INTO "AuditChainPending" (chain, id) SELECT 'ObjectionEvent', id FROM "ObjectionEvent"`);
    await seed.query(`VACUUM ANALYZE "ObjectionEvent"`);
    await seed.query(`VACUUM ANALYZE "AuditChainPending"`);
    await seed.end();
    const pool = new pg.Pool({ connectionString: database.url, max: 1, application_name: "objection-chain-profile" });
    const stats = new pg.Pool({ connectionString: database.url, max: 1 });
    await pool.query("SELECT 1");
    const [ownBefore, dbBefore] = [ownCpuMs(), await backendsCpuMs({ pool: stats, applicationName: "objection-chain-profile" })];
    const started = performance.now();
    let chained = 0;
    for (;;) {
      const rows = await chainAuditBatch({ pool, table: "ObjectionEvent", batchSize: BATCH });
      if (rows === 0) break;
      chained += rows;
    }
    const wallMs = performance.now() - started;
    const [ownAfter, dbAfter] = [ownCpuMs(), await backendsCpuMs({ pool: stats, applicationName: "objection-chain-profile" })];
    const own = ownAfter - ownBefore;
    const db = dbAfter - dbBefore;
    console.log(`chained ${chained} rows in ${wallMs.toFixed(0)} ms (${((chained / wallMs) * 1000).toFixed(0)} rows/s); CPU per row: node ${(own / chained).toFixed(4)} ms, database ${(db / chained).toFixed(4)} ms`);
    const relation = await stats.query(`SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'ObjectionEvent'`);
    console.log(`updates ${relation.rows[0].n_tup_upd}, HOT ${relation.rows[0].n_tup_hot_upd} (statistics may lag)`);
    const verdict = await verifyAuditChain({ pool: stats });
    console.log(`verify: ok ${verdict.ok}, checked ${JSON.stringify(verdict.checked)}`);
    await pool.end();
    await stats.end();
  } finally {
    await dropTestDatabase(database.name);
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
