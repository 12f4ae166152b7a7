// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/dashboard.ts [--members N] [--runs N]`
// Measures the dashboard's refresh (computeDashboardSummary) in a database of its own with N members
// (default 1,000,000; the size is 30,000,000), their notices (email and in-app, sent, seen,
// clicked, queued) and objections: after each of --runs (default 5) rounds of 10,000 mixed changes
// (sends, seen and clicked notices, objections, withdrawals, moves, new members, corrected birth
// dates), the refresh's p95, target ≤ 1 s; and, once, the full recount (the summary as it was
// computed before the counters, and as the nightly check computes it) as the baseline.
// The rows are seeded with the triggers off and counted once as the migration does. Not part of `npm test`.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

import pg from "pg";

import { systemActor } from "@/lib/auth/actor";
import { checkDashboard, recountDashboardSummary } from "@/lib/dashboard/check-dashboard";
import { computeDashboardSummary, refreshNoticeCounters } from "@/lib/dashboard/compute-dashboard-summary";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

import { closeBenchConnections, reportBenchFailure } from "./lib/in-process";
import { figurePrinter, fmt, percentile, seconds, summaryTable } from "./lib/report";

const { values } = parseArgs({ options: { members: { type: "string", default: "1000000" }, runs: { type: "string", default: "5" } }, strict: true });
const MEMBERS = Number(values.members);
const RUNS = Number(values.runs);
if (!Number.isInteger(MEMBERS) || MEMBERS < 200_000) throw new Error("--members must be a whole number of 200,000 or more");
if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS * 3_000 * 10 > MEMBERS) throw new Error("--runs must be 1 or more, and at most members / 30,000");

const figure = figurePrinter(56);
const actor = systemActor("dashboard-summary");
const COUNTRIES = `ARRAY['DE', 'FR', 'IT', 'ES', 'PL', 'NL', 'BE', 'SE', 'AT', 'IE', 'CH', 'GB']`;

/** The migration's one pass over existing rows (everything after its marker). */
const backfillSql = () => {
  const dir = readdirSync("prisma/migrations").find((name) => name.endsWith("_dashboard_counters"))!;
  const sql = readFileSync(path.join("prisma/migrations", dir, "migration.sql"), "utf8");
  return sql.slice(sql.indexOf("-- The rows so far, counted once."));
};

// Member i: an email sent when i % 10 < 6, also in-app when i % 10 < 3, seen when i % 10 = 1,
// clicked when i % 10 = 2; a queued email when i % 10 >= 7; a live objection when i % 20 = 3.
const seed = async (pool: pg.Pool) => {
  const started = process.hrtime.bigint();
  const client = await pool.connect();
  let campaignId = "";
  try {
    // Before the triggers go off: the campaign's insert makes its partition of Notification.
    const { rows } = await client.query<{ id: string }>(`INSERT INTO "Campaign" (name, channels, status) VALUES ('bench', '{email,in_app}', 'running') RETURNING id`);
    campaignId = rows[0]!.id;
    await client.query(`SET session_replication_role = replica`);
    await client.query(
      `INSERT INTO "Member" ("externalId", email, country, "birthDate")
       SELECT 'b-' || i, 'b' || i || '@example.eu', (${COUNTRIES})[1 + i % 12], date '1940-01-01' + (i::bigint * 7919 % 31000)::int FROM generate_series(1, $1::int) i`,
      [MEMBERS],
    );
    await client.query(
      `INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt", "seenAt", "clickedAt")
       SELECT m.id, $1, 'email', CASE WHEN i % 10 < 6 THEN 'sent' ELSE 'queued' END::"NotificationStatus", CASE WHEN i % 10 < 6 THEN now() END,
         CASE WHEN i % 10 IN (1, 2) THEN now() END, CASE WHEN i % 10 = 2 THEN now() END
       FROM "Member" m CROSS JOIN LATERAL (SELECT substr(m."externalId", 3)::int AS i) k WHERE i % 10 <> 6`,
      [campaignId],
    );
    await client.query(
      `INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt") SELECT m.id, $1, 'in_app', 'sent', now()
       FROM "Member" m WHERE substr(m."externalId", 3)::int % 10 < 3`,
      [campaignId],
    );
    await client.query(
      `INSERT INTO "Objection" ("memberId", email, country, source, "effectiveAt")
       SELECT id, email, country, 'email_link', now() - (substr("externalId", 3)::int % 120) * interval '1 day' FROM "Member" WHERE substr("externalId", 3)::int % 20 = 3`,
    );
    await client.query(`RESET session_replication_role`);
    await client.query(backfillSql());
    await client.query(`VACUUM ANALYZE`);
  } finally {
    client.release();
  }
  figure(`seed: ${fmt(MEMBERS)} members and counters (s)`, seconds(started).toFixed(1));
  return campaignId;
};

const ids = (from: number, count: number, step: number, offset: number) => Array.from({ length: count }, (_, k) => `b-${(from + k) * step + offset}`);

/** 10,000 changes in round `run`, each kind on members no other round touches, in statements of 1,000 or fewer. */
const changes = async (pool: pg.Pool, campaignId: string, run: number) => {
  const inChunks = async (keys: string[], sql: string, extra: unknown[] = []) => {
    for (let start = 0; start < keys.length; start += 1_000) await pool.query(sql, [keys.slice(start, start + 1_000), ...extra]);
  };
  const member = `SELECT id FROM "Member" WHERE "externalId" = ANY($1::text[])`;
  await inChunks(ids(run * 3_000, 3_000, 10, 7), `UPDATE "Notification" SET status = 'sent', "sentAt" = now() WHERE "memberId" IN (${member}) AND "campaignId" = $2 AND status = 'queued'`, [campaignId]);
  await inChunks(ids(run * 2_000, 2_000, 10, 0), `UPDATE "Notification" SET status = 'seen', "seenAt" = now() WHERE "memberId" IN (${member}) AND channel = 'in_app'`);
  await inChunks(ids(run * 1_000, 1_000, 10, 4), `UPDATE "Notification" SET status = 'clicked', "clickedAt" = now(), "seenAt" = now() WHERE "memberId" IN (${member}) AND channel = 'email'`);
  await inChunks(ids(run * 1_000, 1_000, 10, 5), `INSERT INTO "Objection" ("memberId", email, country, source) SELECT id, email, country, 'email_link' FROM "Member" WHERE "externalId" = ANY($1::text[])`);
  await inChunks(ids(run * 500, 500, 20, 3), `UPDATE "Objection" SET status = 'withdrawn', "withdrawnAt" = now() WHERE "memberId" IN (${member}) AND status = 'effective'`);
  await inChunks(ids(run * 500, 500, 10, 6), `UPDATE "Member" SET country = 'LU' WHERE "externalId" = ANY($1::text[])`);
  await inChunks(ids(run * 1_000, 1_000, 10, 8), `UPDATE "Member" SET "birthDate" = "birthDate" + 1 WHERE "externalId" = ANY($1::text[])`);
  await inChunks(ids(run * 1_000, 1_000, 1, MEMBERS + 1), `INSERT INTO "Member" ("externalId", email, country, "birthDate") SELECT k, k || '@example.eu', 'FI', date '2008-06-01' FROM unnest($1::text[]) k`);
};

const main = async () => {
  const database = await createTestDatabase("objection_bench");
  Object.assign(process.env, { ...TEST_ENV, DATABASE_URL: database.url });
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const summary = summaryTable();
  try {
    const campaignId = await seed(pool);
    let started = process.hrtime.bigint();
    await recountDashboardSummary({ actor });
    const recountSeconds = seconds(started);
    figure("full recount, the summary as computed before (s)", recountSeconds.toFixed(2));
    await computeDashboardSummary({ actor });

    const samples: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      started = process.hrtime.bigint();
      await changes(pool, campaignId, run);
      const changeSeconds = seconds(started);
      // The refresh's two parts timed apart: recounting the changed members, then composing from the counters.
      const recounting = performance.now();
      const logged = await refreshNoticeCounters();
      const recountMs = performance.now() - recounting;
      const { durationMs } = await computeDashboardSummary({ actor });
      samples.push(recountMs + durationMs);
      figure(`round ${run + 1}: changes (s) / change rows / recount + compose (ms)`, `${changeSeconds.toFixed(2)} / ${fmt(logged)} / ${fmt(recountMs)} + ${durationMs}`);
    }
    const p95 = percentile(samples, 0.95);
    figure("refresh after 10,000 changes (ms, p95)", fmt(p95));
    figure("full recount / refresh", `${fmt((recountSeconds * 1000) / p95, 1)}×`);

    const now = new Date();
    const agree = JSON.stringify((await computeDashboardSummary({ actor, now })).data) === JSON.stringify(await recountDashboardSummary({ actor, now }));
    const drift = await checkDashboard({ actor, now });
    summary.row({ figure: "refresh after 10,000 changes (p95)", target: "<= 1 s", measured: `${fmt(p95)} ms`, pass: p95 <= 1_000 });
    summary.row({ figure: "full recount (the old refresh)", target: "", measured: `${recountSeconds.toFixed(2)} s` });
    summary.row({ figure: "refreshed summary = full recount", target: "equal", measured: agree ? "equal" : "differs", pass: agree });
    summary.row({ figure: "nightly check's drift", target: "none", measured: `${drift.length} figures`, pass: drift.length === 0 });
    summary.print();
  } finally {
    await closeBenchConnections(pool);
    await dropTestDatabase(database.name);
  }
};

main().catch(reportBenchFailure);
