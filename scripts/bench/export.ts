// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/export.ts [--rows N]`
// Seeds N effective objections (default 10,000,000) in a database of its own, writes the CSV
// snapshot as an export run does, and times `psql \copy` of the same query to a file in the same
// run. Targets: ≤ 60 s, peak RSS ≤ 256 MB, ≤ 2.0× psql.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import pg from "pg";

import { copyExportFile } from "@/lib/exports/copy-export-file";
import { EXPORT_SETTINGS_SQL, SNAPSHOT_SQL } from "@/lib/exports/export-queries";
import type { TExportFile } from "@/lib/exports/write-export-file";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";

const { values } = parseArgs({ options: { rows: { type: "string", default: "10000000" } } });
const ROWS = Number(values.rows);
const HASH_KEY = "bench-hash-key-bench-hash-key-bench-0001";

const figure = (label: string, value: string) => console.log(`${label.padEnd(40)} ${value}`);
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

const main = async () => {
  const database = await createTestDatabase("objection_bench_export");
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  const outDir = mkdtempSync(path.join(tmpdir(), "objection-export-bench-"));
  try {
    console.log(`Seeding ${ROWS.toLocaleString("en")} effective objections…`);
    let started = process.hrtime.bigint();
    await pool.query(
      `INSERT INTO "Objection" (email, country, source, "effectiveAt")
       SELECT 'member-' || i || '@example.eu', (ARRAY['AT','BE','DE','FR','IE','IT','NL','PL','ES','SE'])[1 + i % 10], 'email_link',
              timestamptz '2026-01-01' + i * interval '1 second'
       FROM generate_series(1, $1::int) AS i`,
      [ROWS],
    );
    await pool.query(`VACUUM ANALYZE "Objection"`);
    figure("seed (s)", seconds(started).toFixed(1));

    const cutoff = "2026-11-29T00:00:00Z";
    // The snapshot, exactly as an export run writes it (COPY through Node to a file, with sha256).
    const client = await pool.connect();
    started = process.hrtime.bigint();
    let file: TExportFile;
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      await client.query(EXPORT_SETTINGS_SQL, [cutoff, new Date(0).toISOString(), HASH_KEY]);
      file = await copyExportFile({ client, sql: SNAPSHOT_SQL, dir: outDir, name: "snapshot.csv", kind: "snapshot" });
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    const ours = seconds(started);
    const peakMb = process.resourceUsage().maxRSS / 1024;
    if (file.rows !== ROWS) throw new Error(`the snapshot holds ${file.rows} rows, not ${ROWS}`);

    started = process.hrtime.bigint();
    const sql = SNAPSHOT_SQL.replace(/\s+/g, " ");
    execFileSync("psql", [database.url, "-q", "-c", `SET objection.export_cutoff = '${cutoff}'`, "-c", `SET objection.export_hash_key = '${HASH_KEY}'`, "-c", `\\copy (${sql}) TO '${path.join(outDir, "psql.csv")}' WITH (FORMAT csv, HEADER)`]);
    const psql = seconds(started);

    figure("rows", ROWS.toLocaleString("en"));
    figure("export (s, target <= 60)", ours.toFixed(1));
    figure("export rows/s", Math.round(ROWS / ours).toLocaleString("en"));
    figure("export peak RSS (MB, target <= 256)", peakMb.toFixed(0));
    figure("psql \\copy (s)", psql.toFixed(1));
    figure("export / psql (ratio, target <= 2.0)", (ours / psql).toFixed(2));
  } finally {
    await pool.end();
    await dropTestDatabase(database.name);
    rmSync(outDir, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
