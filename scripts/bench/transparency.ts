// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/transparency.ts [--countries N] [--months N] [--runs N] [--writes N]`
// The public transparency report (docs/transparency.md), in a database of its own:
// 1. its read: counters for N countries (default 30) × N months (default 36), every one of the 16
//    shards written, and an export-hours histogram of 48 whole hours plus a tail for each, with its
//    medians; the report's read timed over --runs (default 200) as seeded (every shard of every
//    month, the most a read meets) and after the nightly fold of past months' shards (p95 target
//    ≤ 50 ms), and /transparency.json's handler as served (it reuses a read for 30 s). The read touches those rows only, whatever the size of Notification
//    and Objection (260 M members, 520 M notices: the same rows).
// 2. what its triggers cost the writes they ride on: the form's objection (a one-row INSERT, --writes
//    of them, default 2,000) and a send job's statement (1,000 emails to `sent`), with the
//    transparency triggers on and off, alternating, in the same run.
// Not part of `npm test`.
import { parseArgs } from "node:util";

import pg from "pg";

import { GET } from "@/app/transparency.json/route";
import { systemActor } from "@/lib/auth/actor";
import { foldTransparencyShards } from "@/lib/transparency/fold-transparency-shards";
import { readTransparencyReport } from "@/lib/transparency/read-transparency-report";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

import { closeBenchConnections, reportBenchFailure } from "./lib/in-process";
import { figurePrinter, fmt, percentile, summaryTable, timedRuns } from "./lib/report";

const { values } = parseArgs({
  options: { countries: { type: "string", default: "30" }, months: { type: "string", default: "36" }, runs: { type: "string", default: "200" }, writes: { type: "string", default: "2000" } },
  strict: true,
});
const [COUNTRIES, MONTHS, RUNS, WRITES] = [values.countries, values.months, values.runs, values.writes].map(Number) as [number, number, number, number];
if (![COUNTRIES, MONTHS, RUNS, WRITES].every((value) => Number.isInteger(value) && value > 0) || COUNTRIES > 26 * 26) throw new Error("every option is a whole number above 0; --countries at most 676");

const figure = figurePrinter(72);
const SEND_BATCH = 1_000;
const SEND_ROUNDS = 20;

/** Two-letter codes AA, AB, …: only the count matters to the read. */
const seedCounters = async (pool: pg.Pool) => {
  await pool.query(
    `WITH countries AS (SELECT chr(65 + i / 26) || chr(65 + i % 26) AS country FROM generate_series(0, $1::int - 1) i),
          months AS (SELECT (date '2024-01-01' + make_interval(months => m))::date AS month FROM generate_series(0, $2::int - 1) m)
     INSERT INTO "TransparencyCounter" (country, month, shard, "noticesSent", reached, objections, withdrawals)
     SELECT c.country, m.month, s, 100000 + s, 90000 + s, 5000 + s, 100 + s FROM countries c CROSS JOIN months m CROSS JOIN generate_series(0, 15) s`,
    [COUNTRIES, MONTHS],
  );
  await pool.query(
    `WITH countries AS (SELECT chr(65 + i / 26) || chr(65 + i % 26) AS country FROM generate_series(0, $1::int - 1) i),
          months AS (SELECT (date '2024-01-01' + make_interval(months => m))::date AS month FROM generate_series(0, $2::int - 1) m)
     INSERT INTO "TransparencyExportHours" (country, month, hours, count)
     SELECT c.country, m.month, h, 1000 - h * 10 FROM countries c CROSS JOIN months m CROSS JOIN (SELECT generate_series(0, 47) UNION ALL SELECT unnest('{72,96,168,2160}'::int[])) hh(h)`,
    [COUNTRIES, MONTHS],
  );
  // Every key's median, as the acknowledgements would have kept them.
  await pool.query(`SELECT refresh_transparency_medians(array_agg(country::text), array_agg(month)) FROM (SELECT DISTINCT country, month FROM "TransparencyExportHours") k`);
  await pool.query(`VACUUM ANALYZE "TransparencyCounter", "TransparencyExportHours", "TransparencyExportMedian"`);
  const { rows } = await pool.query<{ counters: string; hours: string }>(`SELECT (SELECT count(*) FROM "TransparencyCounter") AS counters, (SELECT count(*) FROM "TransparencyExportHours") AS hours`);
  figure("counter rows read / histogram rows (not read)", `${fmt(Number(rows[0]!.counters))} / ${fmt(Number(rows[0]!.hours))}`);
};

/** The transparency triggers on or off (off: the baseline, the writes as they were before them). */
const setTransparencyTriggers = async (pool: pg.Pool, on: boolean) => {
  for (const table of ["Objection", "Notification"]) {
    for (const op of ["insert", "update"]) await pool.query(`ALTER TABLE "${table}" ${on ? "ENABLE" : "DISABLE"} TRIGGER "${table}_transparency_${op}"`);
  }
};

/** Members for the writes, each with a queued email of one campaign. */
const seedWriters = async (pool: pg.Pool) => {
  const members = Math.max(WRITES, SEND_BATCH * SEND_ROUNDS);
  await pool.query(
    `INSERT INTO "Member" ("externalId", email, country, "birthDate") SELECT 'w-' || i, 'w' || i || '@example.eu', (ARRAY['DE', 'FR', 'IT', 'PL'])[1 + i % 4], '1980-01-01' FROM generate_series(1, $1::int) i`,
    [members],
  );
  const { rows } = await pool.query<{ id: string }>(`INSERT INTO "Campaign" (name, channels, status) VALUES ('bench', '{email}', 'running') RETURNING id`);
  await pool.query(`INSERT INTO "Notification" ("memberId", "campaignId", channel) SELECT id, $1, 'email' FROM "Member"`, [rows[0]!.id]);
  await pool.query(`VACUUM ANALYZE`);
  const { rows: ids } = await pool.query<{ id: string; email: string; country: string }>(`SELECT id, email, country FROM "Member" ORDER BY "externalId"`);
  return ids;
};

/** Each objection alone, as the form stores it; the triggers on for even blocks of 100, off for odd ones. */
const objectionInserts = async (pool: pg.Pool, members: { id: string; email: string; country: string }[]) => {
  const timings = { on: [] as number[], off: [] as number[] };
  for (let block = 0; block * 100 < WRITES; block++) {
    const on = block % 2 === 0;
    await setTransparencyTriggers(pool, on);
    for (const member of members.slice(block * 100, Math.min(WRITES, (block + 1) * 100))) {
      const started = performance.now();
      await pool.query(`INSERT INTO "Objection" ("memberId", email, country, source) VALUES ($1, $2, $3, 'email_link')`, [member.id, member.email, member.country]);
      timings[on ? "on" : "off"].push(performance.now() - started);
    }
  }
  return timings;
};

/** A send job's statement: 1,000 queued emails to sent, the triggers alternately on and off. */
const sendStatements = async (pool: pg.Pool) => {
  const timings = { on: [] as number[], off: [] as number[] };
  for (let round = 0; round < SEND_ROUNDS; round++) {
    const on = round % 2 === 0;
    await setTransparencyTriggers(pool, on);
    const started = performance.now();
    await pool.query(
      `UPDATE "Notification" SET status = 'sent', "sentAt" = now(), attempts = 1 WHERE id IN (SELECT id FROM "Notification" WHERE status = 'queued' ORDER BY id LIMIT $1)`,
      [SEND_BATCH],
    );
    timings[on ? "on" : "off"].push(performance.now() - started);
  }
  await setTransparencyTriggers(pool, true);
  return timings;
};

const main = async () => {
  const database = await createTestDatabase("objection_bench_transparency");
  Object.assign(process.env, { ...TEST_ENV, DATABASE_URL: database.url });
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  const summary = summaryTable();
  try {
    await seedCounters(pool);
    const rows = (await readTransparencyReport()).rows.length;
    // Every shard of every month written: the most the read can meet, before a night's fold.
    const unfolded = await timedRuns({ runs: RUNS, work: readTransparencyReport });
    figure(`report, ${fmt(rows)} rows, 16 shards a key (ms, median / p95)`, `${fmt(unfolded.median, 2)} / ${fmt(unfolded.p95, 2)}`);
    const folded = await foldTransparencyShards({ actor: systemActor("bench") });
    await pool.query(`VACUUM ANALYZE "TransparencyCounter"`);
    figure("nightly fold of past months' shards (rows folded)", fmt(folded));
    const report = await timedRuns({ runs: RUNS, work: readTransparencyReport });
    figure("report after the fold (ms, median / p95)", `${fmt(report.median, 2)} / ${fmt(report.p95, 2)}`);
    // The handler as served: the process reuses a report for 30 s, so most requests read nothing.
    const handler = await timedRuns({ runs: RUNS, work: async () => (await GET()).text() });
    figure("/transparency.json handler, reused report (ms, median / p95)", `${fmt(handler.median, 2)} / ${fmt(handler.p95, 2)}`);
    summary.row({ figure: `report read, ${COUNTRIES} × ${MONTHS}, unfolded (p95)`, target: "", measured: `${fmt(unfolded.p95, 2)} ms` });
    summary.row({ figure: `report read, ${COUNTRIES} × ${MONTHS}, folded (p95)`, target: "<= 50 ms", measured: `${fmt(report.p95, 2)} ms`, pass: report.p95 <= 50 });
    summary.row({ figure: "/transparency.json handler (p95)", target: "", measured: `${fmt(handler.p95, 2)} ms` });

    const members = await seedWriters(pool);
    const inserts = await objectionInserts(pool, members);
    const sends = await sendStatements(pool);
    const [insertOn, insertOff] = [percentile(inserts.on, 0.5), percentile(inserts.off, 0.5)];
    const [sendOn, sendOff] = [percentile(sends.on, 0.5), percentile(sends.off, 0.5)];
    figure("objection INSERT, triggers on / off (ms, median)", `${fmt(insertOn, 3)} / ${fmt(insertOff, 3)}  (${fmt(insertOn / insertOff, 2)}×)`);
    figure(`send statement of ${fmt(SEND_BATCH)} emails, on / off (ms, median)`, `${fmt(sendOn, 1)} / ${fmt(sendOff, 1)}  (${fmt(sendOn / sendOff, 2)}×)`);
    summary.row({ figure: "objection INSERT with / without the counters", target: "", measured: `${fmt(insertOn / insertOff, 2)}×` });
    summary.row({ figure: "send statement with / without the counters", target: "", measured: `${fmt(sendOn / sendOff, 2)}×` });
    summary.print();
  } finally {
    await closeBenchConnections(pool);
    await dropTestDatabase(database.name);
  }
};

main().catch(reportBenchFailure);
