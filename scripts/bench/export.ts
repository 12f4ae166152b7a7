// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/export.ts [--rows N] [--changes N]`
// Measures a nightly export run as lib/exports/run-export.ts does it, in a database of its own:
// N members with N effective objections (default 10,000,000), a first run that builds
// "ExportMember", then `--changes` changes (default 10,000: half new objections, a quarter
// withdrawals, a quarter renamed members) and a timed run: pending marks, delta, snapshot and delta
// files, signed manifest. Targets for that run: ≤ 60 s, peak RSS ≤ 256 MB, ≤ 2.0× `psql \copy` of
// the snapshot's rows to a file, timed in the same process. Then the run is verified, and the same
// kind of run is timed against an S3 server (s3rver, in this process). Not part of `npm test`.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import pg from "pg";
import S3rver from "s3rver";

import type { TExportManifest } from "@/lib/exports/export-manifest";
import { exportStorageAt, type TExportStorage } from "@/lib/exports/export-storage";
import { runExport } from "@/lib/exports/run-export";
import { verifyExportRun } from "@/lib/exports/verify-export";
import { closePgPool } from "@/lib/pg";
import { exportSettingsFor, TEST_PUBLIC_KEY } from "@/test/export-fixtures";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

import { figurePrinter, seconds } from "./lib/report";

const { values } = parseArgs({ options: { rows: { type: "string", default: "10000000" }, changes: { type: "string", default: "10000" } }, strict: true });
const ROWS = Number(values.rows);
const CHANGES = Number(values.changes);
if (!Number.isInteger(ROWS) || ROWS < 1) throw new Error("--rows must be a whole number of 1 or more");
if (!Number.isInteger(CHANGES) || CHANGES < 4 || CHANGES > ROWS) throw new Error("--changes must be a whole number from 4 to --rows");

const WITHDRAWALS = Math.floor(CHANGES / 4);
const RENAMES = Math.floor(CHANGES / 4);
const NEW_OBJECTIONS = CHANGES - WITHDRAWALS - RENAMES;
// Withdrawals and renames of round r pick members bench-(1 + k·STRIDE + offset), offsets 2r and
// 2r + 1, so no two rounds or kinds touch the same member. STRIDE ≥ 4 because CHANGES ≤ ROWS.
const STRIDE = Math.floor(ROWS / WITHDRAWALS);

const EEA = ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"];
const COUNTRY_OF = (i: string) => `(ARRAY['${EEA.join("','")}'])[1 + ${i} % ${EEA.length}]`;
const SOURCE_OF = (i: string) => `((ARRAY['email_link','in_app_link','direct','gpc','in_app_setting'])[1 + ${i} % 5])::"ObjectionSource"`;

const figure = figurePrinter(44);
const count = (n: number) => n.toLocaleString("en");
/** The kernel's peak RSS of this process so far (maxRSS is in KiB). */
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

/**
 * Samples RSS every 50 ms while a run goes on: once verification has read whole files, the
 * process's peak says nothing about a later run, and the samples still do.
 */
const rssSampler = () => {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024;
  };
};

type TTimedRun = {
  manifest: TExportManifest;
  total: number;
  /** From the call to the first snapshot bytes: lock, pending marks, delta SQL, COPY start. */
  beforeSnapshot: number;
  /** From the first to the last snapshot bytes. */
  snapshot: number;
  /** From the last snapshot bytes to the end: delta file, manifest, commit, manifest.json. */
  afterSnapshot: number;
  sampledRssMb: number;
};

const timedRun = async (storage: TExportStorage): Promise<TTimedRun> => {
  const stopSampling = rssSampler();
  const started = process.hrtime.bigint();
  let firstRows: bigint | undefined;
  let lastRows: bigint | undefined;
  const manifest = await runExport({
    ...exportSettingsFor({ storage }),
    onProgress: () => {
      lastRows = process.hrtime.bigint();
      firstRows ??= lastRows;
    },
  });
  const ended = process.hrtime.bigint();
  const sampledRssMb = stopSampling();
  const span = (from: bigint, to: bigint) => Number(to - from) / 1e9;
  return {
    manifest,
    total: span(started, ended),
    beforeSnapshot: span(started, firstRows ?? ended),
    snapshot: span(firstRows ?? ended, lastRows ?? ended),
    afterSnapshot: span(lastRows ?? ended, ended),
    sampledRssMb,
  };
};

const fileRows = (manifest: TExportManifest, kind: "snapshot" | "delta") => manifest.files.find((file) => file.kind === kind)?.rows ?? -1;

/** Throws unless the run wrote the rows the changes call for. */
const expectRows = (manifest: TExportManifest, { snapshot, delta }: { snapshot: number; delta: number }) => {
  const got = { snapshot: fileRows(manifest, "snapshot"), delta: fileRows(manifest, "delta") };
  if (got.snapshot !== snapshot || got.delta !== delta) {
    throw new Error(`run ${manifest.runId} wrote ${got.snapshot} snapshot and ${got.delta} delta rows, expected ${snapshot} and ${delta}`);
  }
};

// Secondary indexes of the seeded tables (not the primary keys, which foreign keys need). Built
// once after the load instead of row by row, they halve the seeding time at 10,000,000 rows.
const SECONDARY_INDEXES_SQL = `SELECT indexname, indexdef FROM pg_indexes
  WHERE schemaname = current_schema() AND tablename IN ('Member', 'Objection') AND indexname NOT IN (SELECT conname FROM pg_constraint)`;

const seed = async (pool: pg.Pool) => {
  const indexes = (await pool.query<{ indexname: string; indexdef: string }>(SECONDARY_INDEXES_SQL)).rows;
  for (const { indexname } of indexes) await pool.query(`DROP INDEX "${indexname}"`);
  await pool.query(
    `INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
     SELECT 'bench-' || i, 'member.' || i || '@example.eu', ${COUNTRY_OF("i")}, date '1940-01-01' + i % 24000, (ARRAY['en','de','fr',NULL])[1 + i % 4]
     FROM generate_series(1, $1::int) AS i`,
    [ROWS],
  );
  // Effective between 200 and about 85 days ago (10,000,000 seconds is 116 days): all before any cutoff.
  await pool.query(
    `INSERT INTO "Objection" ("memberId", email, country, source, "effectiveAt")
     SELECT id, email, country, ${SOURCE_OF("i")}, now() - interval '200 days' + i * interval '1 second'
     FROM (SELECT id, email, country, substr("externalId", 7)::int AS i FROM "Member") AS m`,
  );
  for (const { indexdef } of indexes) await pool.query(indexdef);
  await pool.query(`VACUUM ANALYZE`);
};

/**
 * One round of changes after a run, set-based: new objections of new members, withdrawals, and
 * renamed members (whose exported rows change). Returns the delta rows the next run should write.
 */
const makeChanges = async (pool: pg.Pool, round: number) => {
  const added = await pool.query(
    `WITH m AS (
       INSERT INTO "Member" ("externalId", email, country, "birthDate")
       SELECT 'bench-new-' || $1::int || '-' || i, 'new.' || $1::int || '.' || i || '@example.eu', ${COUNTRY_OF("i")}, date '1980-01-01' + i % 9000
       FROM generate_series(1, $2::int) AS i
       RETURNING id, email, country, "birthDate"
     )
     INSERT INTO "Objection" ("memberId", email, country, source)
     SELECT id, email, country, ${SOURCE_OF("(\"birthDate\" - date '1980-01-01')")} FROM m`,
    [round, NEW_OBJECTIONS],
  );
  const picked = (offset: number) => `SELECT 'bench-' || (1 + k * ${STRIDE} + ${offset}) AS "externalId" FROM generate_series(0, ${WITHDRAWALS - 1}) AS k`;
  const withdrawn = await pool.query(
    `UPDATE "Objection" o SET status = 'withdrawn', "withdrawnAt" = now()
     FROM "Member" m JOIN (${picked(2 * round)}) p USING ("externalId")
     WHERE o."memberId" = m.id AND o.status = 'effective'`,
  );
  const renamed = await pool.query(
    `UPDATE "Member" m SET "externalId" = m."externalId" || '-renamed' FROM (${picked(2 * round + 1)}) p WHERE m."externalId" = p."externalId"`,
  );
  if (added.rowCount !== NEW_OBJECTIONS || withdrawn.rowCount !== WITHDRAWALS || renamed.rowCount !== RENAMES) {
    throw new Error(`changes made: ${added.rowCount} new, ${withdrawn.rowCount} withdrawn, ${renamed.rowCount} renamed; expected ${NEW_OBJECTIONS}, ${WITHDRAWALS}, ${RENAMES}`);
  }
  // A renamed member's objection leaves and comes back with its new id: a remove and an add.
  return { delta: NEW_OBJECTIONS + WITHDRAWALS + 2 * RENAMES, growth: NEW_OBJECTIONS - WITHDRAWALS };
};

/** `psql \copy` of the snapshot's rows to a file: the baseline. */
const psqlCopy = (url: string, file: string) => {
  const started = process.hrtime.bigint();
  const sql = `SELECT seq, "objectionId" AS objection_id, member_external_id, email_hmac, country, source, effective_at FROM "ExportMember" ORDER BY seq`;
  execFileSync("psql", [url, "-q", "-v", "ON_ERROR_STOP=1", "-c", `\\copy (${sql}) TO '${file}' WITH (FORMAT csv, HEADER)`], { stdio: ["ignore", "ignore", "inherit"] });
  const elapsed = seconds(started);
  rmSync(file, { force: true });
  return elapsed;
};

const printRun = (label: string, run: TTimedRun, psql: number) => {
  figure(`${label} run (s, target <= 60)`, run.total.toFixed(1));
  figure(`  before snapshot bytes (s)`, run.beforeSnapshot.toFixed(1));
  figure(`  snapshot streaming (s)`, run.snapshot.toFixed(1));
  figure(`  delta file, commit, manifest (s)`, run.afterSnapshot.toFixed(1));
  figure(`${label} snapshot rows`, count(fileRows(run.manifest, "snapshot")));
  figure(`${label} snapshot rows/s (whole run)`, count(Math.round(fileRows(run.manifest, "snapshot") / run.total)));
  figure(`${label} delta rows`, count(fileRows(run.manifest, "delta")));
  figure(`${label} RSS sampled during run (MB)`, run.sampledRssMb.toFixed(0));
  figure(`${label} / psql (ratio, target <= 2.0)`, (run.total / psql).toFixed(2));
};

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
    await seed(pool);
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
    let expected = await makeChanges(pool, 0);
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
    expected = await makeChanges(pool, 1);
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
