// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/admin.ts [--members N] [--objections N] [--notified N] [--runs N] [--keep]`
// Measures the admin console's reads, in a database of its own: N members (default 10,000,000),
// notices for --notified of them (default half: an email each, an in-app notice for every second),
// and --objections objections (default 1,000,000; 90 % effective, 8 % withdrawn, 2 % rejected,
// 5 % unmatched, over the last 180 days). Prints:
// - the nightly full recount of the dashboard's figures (recountDashboardSummary: what the worker
//   computed every 5 minutes before the counters; scripts/bench/dashboard.ts times the refresh);
// - p95 over --runs (default 20) of the dashboard read the page waits for (readDashboard), target ≤ 1 s;
// - p95 of the objection list's first page, of a page 10,000 rows deep (its cursor reached by
//   keyset, page after page) and of an exact email search, target ≤ 300 ms.
// Not part of `npm test`.
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";

import pg from "pg";

import { systemActor } from "@/lib/auth/actor";
import { recountDashboardSummary } from "@/lib/dashboard/check-dashboard";
import { computeDashboardSummary } from "@/lib/dashboard/compute-dashboard-summary";
import { readDashboard } from "@/lib/dashboard/read-dashboard";
import { QUEUES } from "@/lib/jobs";
import { listObjections, MAX_PAGE_SIZE } from "@/lib/objections/list-objections";
import { ZObjectionFilters } from "@/lib/objections/objection-filters";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

import { closeBenchConnections, reportBenchFailure } from "./lib/in-process";
import { figurePrinter, timedRuns } from "./lib/report";

const { values } = parseArgs({
  options: {
    members: { type: "string", default: "10000000" },
    objections: { type: "string", default: "1000000" },
    notified: { type: "string" },
    runs: { type: "string", default: "20" },
    // Leaves the database in place (its name is printed), to look at query plans afterwards.
    keep: { type: "boolean", default: false },
  },
  strict: true,
});
const MEMBERS = Number(values.members);
const OBJECTIONS = Number(values.objections);
const NOTIFIED = Number(values.notified ?? Math.floor(MEMBERS / 2));
const RUNS = Number(values.runs);
const DEEP_ROW = 10_000;
if (!Number.isInteger(MEMBERS) || MEMBERS < 1) throw new Error("--members must be a whole number of 1 or more");
if (!Number.isInteger(OBJECTIONS) || OBJECTIONS < DEEP_ROW + 100 || OBJECTIONS > MEMBERS) throw new Error(`--objections must be a whole number from ${DEEP_ROW + 100} to --members`);
if (!Number.isInteger(NOTIFIED) || NOTIFIED < 0 || NOTIFIED > MEMBERS) throw new Error("--notified must be a whole number from 0 to --members");
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error("--runs must be a whole number of 1 or more");
// Member i objects when i is a multiple of STRIDE: OBJECTIONS objectors spread over every country and age.
const STRIDE = Math.floor(MEMBERS / OBJECTIONS);

const EEA = ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"];
// 3 members in 33 live outside the EEA (not eligible).
const COUNTRIES = [...EEA, "US", "GB", "CH"];
const COUNTRY_OF = (i: string) => `(ARRAY['${COUNTRIES.join("','")}'])[1 + ${i} % ${COUNTRIES.length}]`;
const SOURCE_OF = (i: string) => `((ARRAY['email_link','in_app_link','direct','gpc','in_app_setting','email_link','in_app_link','prior'])[1 + ${i} % 8])::"ObjectionSource"`;
const STATUS_OF = (i: string) => `(CASE WHEN ${i} % 50 = 0 THEN 'rejected' WHEN ${i} % 50 < 5 THEN 'withdrawn' ELSE 'effective' END)::"ObjectionStatus"`;

const figure = figurePrinter(68);
const count = (n: number) => n.toLocaleString("en");
const ms = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;
const timed = (work: () => Promise<unknown>) => timedRuns({ runs: RUNS, work });

const printTimed = (label: string, target: number, result: { p95: number; median: number }) =>
  figure(`${label} (ms, p95 of ${RUNS}, target <= ${target})`, `${result.p95.toFixed(1)} (median ${result.median.toFixed(1)})`);

// Secondary indexes of the seeded tables (not the primary keys, which foreign keys need). Built
// once after the load instead of row by row: much faster seeding at 10,000,000 rows.
const SECONDARY_INDEXES_SQL = `SELECT indexname, indexdef FROM pg_indexes
  WHERE schemaname = current_schema() AND tablename IN ('Member', 'Notification', 'Objection') AND indexname NOT IN (SELECT conname FROM pg_constraint)`;

const seed = async (pool: pg.Pool) => {
  const indexes = (await pool.query<{ indexname: string; indexdef: string }>(SECONDARY_INDEXES_SQL)).rows;
  for (const { indexname } of indexes) await pool.query(`DROP INDEX "${indexname}"`);

  // Born 1940 to 2013: about 7 % are minors.
  await pool.query(
    `INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
     SELECT 'bench-' || i, 'member.' || i || '@example.eu', ${COUNTRY_OF("i")}, date '1940-01-01' + ((i::bigint * 7919) % 27000)::int, (ARRAY['en','de','fr',NULL])[1 + i % 4]
     FROM generate_series(1, $1::int) AS i`,
    [MEMBERS],
  );

  const campaign = await pool.query<{ id: string }>(
    `INSERT INTO "Campaign" (name, channels, status, "launchedAt", "audienceAt", "completedAt", total) VALUES ('bench', '{email,in_app}', 'done', now() - interval '30 days', now() - interval '30 days', now() - interval '29 days', $1) RETURNING id`,
    [NOTIFIED],
  );
  // Email to each of the first NOTIFIED members: 5 % failed, 10 % seen, 5 % clicked, the rest sent.
  // In-app to every second one of them: a quarter of those seen.
  await pool.query(
    `INSERT INTO "Notification" ("memberId", "campaignId", batch, channel, status, attempts, "sentAt", "seenAt", "clickedAt")
     SELECT m.id, $1::uuid, m.i / 1000, 'email',
            (CASE WHEN m.i % 20 = 0 THEN 'failed' WHEN m.i % 20 = 1 THEN 'clicked' WHEN m.i % 20 < 4 THEN 'seen' ELSE 'sent' END)::"NotificationStatus",
            1,
            CASE WHEN m.i % 20 <> 0 THEN now() - interval '29 days' END,
            CASE WHEN m.i % 20 BETWEEN 1 AND 3 THEN now() - interval '28 days' END,
            CASE WHEN m.i % 20 = 1 THEN now() - interval '28 days' END
     FROM (SELECT id, substr("externalId", 7)::int AS i FROM "Member") AS m
     WHERE m.i <= $2::int`,
    [campaign.rows[0]!.id, NOTIFIED],
  );
  await pool.query(
    `INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt", "seenAt")
     SELECT m.id, $1::uuid, 'in_app', (CASE WHEN m.i % 8 = 0 THEN 'seen' ELSE 'sent' END)::"NotificationStatus",
            now() - interval '29 days', CASE WHEN m.i % 8 = 0 THEN now() - interval '27 days' END
     FROM (SELECT id, substr("externalId", 7)::int AS i FROM "Member") AS m
     WHERE m.i <= $2::int AND m.i % 2 = 0`,
    [campaign.rows[0]!.id, NOTIFIED],
  );

  // Objections of members i = k·STRIDE, effective over the last 180 days; one in 20 unmatched.
  await pool.query(
    `INSERT INTO "Objection" ("memberId", email, country, source, status, "effectiveAt", "withdrawnAt", "rejectedAt")
     SELECT CASE WHEN m.i % 20 = 7 THEN NULL ELSE m.id END, m.email, m.country, ${SOURCE_OF("m.i")}, ${STATUS_OF("(m.i / $1::int)")},
            now() - ((m.i::bigint * 7919) % 15552000) * interval '1 second',
            CASE WHEN (m.i / $1::int) % 50 BETWEEN 1 AND 4 THEN now() END,
            CASE WHEN (m.i / $1::int) % 50 = 0 THEN now() END
     FROM (SELECT id, email, country, substr("externalId", 7)::int AS i FROM "Member") AS m
     WHERE m.i % $1::int = 0 AND m.i / $1::int <= $2::int`,
    [STRIDE, OBJECTIONS],
  );
  for (const { indexdef } of indexes) await pool.query(indexdef);

  // The nightly export as the dashboard sees it: one successful run, acknowledged.
  await pool.query(
    `INSERT INTO "ExportRun" (cutoff, format, location, status, files, "lastSeq", "startedAt", "finishedAt", "acknowledgedAt")
     VALUES (now() - interval '3 hours', 'csv', '/tmp/bench', 'succeeded', $1, $2, now() - interval '3 hours', now() - interval '3 hours', now() - interval '2 hours')`,
    [JSON.stringify([{ name: "snapshot.csv", kind: "snapshot", rows: OBJECTIONS, bytes: 1, sha256: "0".repeat(64) }, { name: "delta.csv", kind: "delta", rows: 1000, bytes: 1, sha256: "0".repeat(64) }]), OBJECTIONS],
  );
  await pool.query(`VACUUM ANALYZE`);
};

const main = async () => {
  const database = await createTestDatabase("objection_bench_admin");
  // Before anything calls env() or pgPool(): both read process.env once, lazily.
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url, DATABASE_POOL_SIZE: "4" });
  const pool = new pg.Pool({ connectionString: database.url, max: 1, options: "-c maintenance_work_mem=1GB" });
  const actor = { kind: "admin" as const, id: "00000000-0000-4000-8000-000000000001", role: "viewer" as const };
  try {
    figure("members", count(MEMBERS));
    figure("members notified (email; in-app for half of them)", count(NOTIFIED));
    figure("objections", count(OBJECTIONS));
    console.log("Seeding…");
    const seeding = process.hrtime.bigint();
    await seed(pool);
    figure("seed, with VACUUM ANALYZE (s)", (ms(seeding) / 1000).toFixed(1));
    figure("load average before measuring (1 min)", `${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores`);

    // The nightly full recount: the first run reads cold pages, the second warm ones.
    for (const label of ["cold", "warm"]) {
      const started = process.hrtime.bigint();
      const data = await recountDashboardSummary({ actor: systemActor(QUEUES.countersCheck.name) });
      figure(`worker: full recount of the summary, ${label} (ms)`, count(Math.round(ms(started))));
      if (label === "warm") figure("  eligible / notified / objected", `${count(data.totals.eligible)} / ${count(data.totals.notified)} / ${count(data.totals.objected)}`);
    }
    // The page reads the stored row: the refresh drains the seed's change log first.
    await computeDashboardSummary({ actor: systemActor(QUEUES.dashboardSummary.name) });

    printTimed("dashboard read (readDashboard)", 1000, await timed(() => readDashboard({ actor })));

    const filters = ZObjectionFilters.parse({});
    printTimed("objection list: first page", 300, await timed(() => listObjections({ actor, filters })));

    // The cursor of row 10,000, reached the way an admin would, page after page (of the largest size).
    let cursor: string | null = null;
    for (let reached = 0; reached < DEEP_ROW; reached += MAX_PAGE_SIZE) {
      cursor = (await listObjections({ actor, filters, cursor, limit: Math.min(MAX_PAGE_SIZE, DEEP_ROW - reached) })).nextCursor;
    }
    const deep = cursor;
    printTimed(`objection list: page ${count(DEEP_ROW)} rows deep`, 300, await timed(() => listObjections({ actor, filters, cursor: deep })));

    const byCountry = ZObjectionFilters.parse({ country: "DE", status: "effective" });
    printTimed("objection list: first page, DE, effective", 300, await timed(() => listObjections({ actor, filters: byCountry })));

    // A different objector's address every run: each lookup goes to the index, not a warm cache line.
    let searched = 0;
    const search = await timed(async () => {
      searched += 1;
      const i = STRIDE * (1 + ((searched * 7919) % OBJECTIONS));
      const { rows } = await listObjections({ actor, filters: ZObjectionFilters.parse({ q: `Member.${i}@Example.eu` }) });
      if (rows.length !== 1) throw new Error(`the search for objector ${i} found ${rows.length} rows`);
    });
    printTimed("objection list: exact email search", 300, search);
  } catch (error) {
    reportBenchFailure(error);
  } finally {
    await closeBenchConnections(pool);
    if (values.keep) console.log(`kept database ${database.name}: drop it with psql -c 'DROP DATABASE "${database.name}"'`);
    else await dropTestDatabase(database.name);
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
