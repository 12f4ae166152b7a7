// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/export.ts [--rows N] [--changes N]`
// Measures a nightly export run as lib/exports/run-export.ts does it, in a database of its own:
// N members with N effective objections (default 10,000,000), a first run that builds
// "ExportMember", then `--changes` changes (default 10,000: half new objections, a quarter
// withdrawals, a quarter renamed members) and a timed run: pending marks, delta, snapshot and delta
// files, signed manifest. Targets for that run: ≤ 60 s, peak RSS ≤ 256 MB, ≤ 2.0× `psql \copy` of
// the snapshot's rows to a file, timed in the same process. Then the run is verified, and the same
// kind of run is timed against an S3 server (s3rver, in this process). Not part of `npm test`.
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import pg from "pg";
import S3rver from "s3rver";

import { exportStorageAt } from "@/lib/exports/export-storage";
import { runExport } from "@/lib/exports/run-export";
import { verifyExportRun } from "@/lib/exports/verify-export";
import { closePgPool } from "@/lib/pg";
import { exportSettingsFor, TEST_PUBLIC_KEY } from "@/test/export-fixtures";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

import { makeChanges, seed } from "./export-data";
import { count, expectRows, peakRssMb, printRun, psqlCopy, timedRun } from "./export-timing";
import { figurePrinter, seconds } from "./lib/report";

const { values } = parseArgs({ options: { rows: { type: "string", default: "10000000" }, changes: { type: "string", default: "10000" } }, strict: true });
const ROWS = Number(values.rows);
const CHANGES = Number(values.changes);
if (!Number.isInteger(ROWS) || ROWS < 1) throw new Error("--rows must be a whole number of 1 or more");
if (!Number.isInteger(CHANGES) || CHANGES < 4 || CHANGES > ROWS) throw new Error("--changes must be a whole number from 4 to --rows");

const figure = figurePrinter(44);

const main = async () => {
  const database = await createTestDatabase("objection_bench_export");
  // Before anything calls env() or pgPool(): both read process.env once, lazily.
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url });
  const pool = new pg.Pool({ connectionString: database.url, max: 1, options: "-c maintenance_work_mem=1GB" });
  const folder = mkdtempSync(path.join(tmpdir(), "objection-export-bench-"));
  const s3Directory = mkdtempSync(path.join(tmpdir(), "objection-export-bench-s3-"));
  let server: S3rver | undefined;
  try {
    figure("rows seeded", count(ROWS));
    figure("changes per round", count(CHANGES));
    console.log(`Seeding ${count(ROWS)} members with an effective objection each…`);
    let started = process.hrtime.bigint();
    await seed(pool, ROWS);
    figure("seed, with VACUUM ANALYZE (s)", seconds(started).toFixed(1));
    figure("peak RSS after seeding (MB)", peakRssMb().toFixed(0));

    const storage = exportStorageAt(folder);
    console.log("First run (builds ExportMember)…");
    started = process.hrtime.bigint();
    const first = await runExport(exportSettingsFor({ storage }));
    figure("first run (s, untimed)", seconds(started).toFixed(1));
    figure("peak RSS after first run (MB)", peakRssMb().toFixed(0));
    expectRows(first, { snapshot: ROWS, delta: ROWS });
    // What autovacuum would do in the day between runs (this machine's server runs without it).
    started = process.hrtime.bigint();
    await pool.query(`VACUUM ANALYZE "ExportMember"`);
    figure("VACUUM ANALYZE ExportMember (s)", seconds(started).toFixed(1));

    console.log(`${count(CHANGES)} changes, then the timed run to a folder…`);
    let expected = await makeChanges(pool, { round: 0, rows: ROWS, changes: CHANGES });
    let snapshotRows = ROWS + expected.growth;
    // The machine may be shared: a busy neighbour shows here, not in the figures below.
    const load = loadavg()[0]!;
    const local = await timedRun(storage);
    const localPeakMb = peakRssMb();
    expectRows(local.manifest, { snapshot: snapshotRows, delta: expected.delta });
    const psql = psqlCopy(database.url, path.join(folder, "psql.csv"));

    figure("load average before the run (1 min)", `${load.toFixed(2)} on ${availableParallelism()} cores`);
    printRun("folder", local, psql);
    figure("folder peak RSS (MB, target <= 256)", localPeakMb.toFixed(0));
    figure("psql \\copy (s)", psql.toFixed(1));

    started = process.hrtime.bigint();
    const verified = await verifyExportRun({ storage, runId: local.manifest.runId, publicKey: TEST_PUBLIC_KEY });
    figure("verify (s, informative)", seconds(started).toFixed(1));
    figure("verify", verified.ok ? `ok (${verified.checks.length} checks)` : `${verified.problems.length} problem(s)`);
    if (!verified.ok) {
      for (const problem of verified.problems) console.error(`  ${problem}`);
      throw new Error("the timed run does not verify");
    }

    server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: s3Directory, configureBuckets: [{ name: "exports" }] });
    const { port } = await server.run();
    // Before the first S3 use: export-storage.ts makes its S3 client once, from these.
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`,
      EXPORT_S3_FORCE_PATH_STYLE: "1",
      // Node 20 is a known limit of this stack (STACK.md); the SDK's warning would split the figures.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    });
    console.log(`${count(CHANGES)} more changes, then the timed run to S3 (s3rver in this process)…`);
    expected = await makeChanges(pool, { round: 1, rows: ROWS, changes: CHANGES });
    snapshotRows += expected.growth;
    figure("load average before the S3 run (1 min)", `${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores`);
    const s3 = await timedRun(exportStorageAt("s3://exports/bench"));
    expectRows(s3.manifest, { snapshot: snapshotRows, delta: expected.delta });
    printRun("S3", s3, psql);
  } finally {
    await server?.close().catch(() => undefined);
    await closePgPool();
    await pool.end();
    await dropTestDatabase(database.name);
    rmSync(folder, { recursive: true, force: true });
    rmSync(s3Directory, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
