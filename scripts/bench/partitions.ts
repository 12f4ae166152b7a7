// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/partitions.ts [--members 1000000] [--campaigns 2] [--runs 200]`
// Notification partitioned by campaign against the one table it was, at the same size, in one run.
// Two databases: one migrated up to just before notification_partitions (one heap), one migrated
// to now (a partition a campaign). Both get the same members, --campaigns campaigns that each told
// every member (email and in-app in turn), and an objection for every tenth member. Then the reads
// that cross partitions, interleaved run by run so that the machine's drift hits both alike (p95):
// - the notices API (GET /members/{id}/notifications: a member's latest in-app notice);
// - the console's member page (a member's every notice, newest first);
// - "not yet reached" (whether an earlier campaign reached each of 1,000 members, as the audience
//   job asks of every member);
// - the link page (a notice found by its id alone, its click recorded);
// and the disk each uses per million notices. Target: partitioned ≤ 1.2× the one table.
// Not part of `npm test`.
import { parseArgs } from "node:util";

import pg from "pg";

import { alreadyReachedWhere } from "@/lib/campaigns/audience-sql";
import { OPEN_PERSONAL_LINK_SQL } from "@/lib/links/link-sql";
import { IN_APP_NOTICES_SQL, MEMBER_NOTICE_HISTORY_SQL } from "@/lib/notifications/notification-sql";
import { createDatabaseBefore, createTestDatabase, dropTestDatabase } from "@/test/test-database";

import { notificationDiskPerMillion } from "./lib/scale-measures";
import { figurePrinter, fmt, percentile, seconds, summaryTable } from "./lib/report";

const { values } = parseArgs({
  options: { members: { type: "string", default: "1000000" }, campaigns: { type: "string", default: "2" }, runs: { type: "string", default: "200" } },
  strict: true,
});
const MEMBERS = Number(values.members);
const CAMPAIGNS = Number(values.campaigns);
const RUNS = Number(values.runs);
if (!Number.isInteger(MEMBERS) || MEMBERS < 10_000) throw new Error("--members must be a whole number of at least 10,000");
if (!Number.isInteger(CAMPAIGNS) || CAMPAIGNS < 1 || CAMPAIGNS > 50) throw new Error("--campaigns must be a whole number from 1 to 50");
if (!Number.isInteger(RUNS) || RUNS < 10) throw new Error("--runs must be a whole number of at least 10");

const PARTITIONED = "20261206225722_notification_partitions";
const COUNTRIES = ["DE", "FR", "IT", "ES", "PL", "NL", "IE", "SE", "AT", "PT"];
const figure = figurePrinter(64);

/** The same rows in either schema: only columns both have. */
const seed = async (pool: pg.Pool) => {
  await pool.query(
    `INSERT INTO "Member" ("externalId", email, country, "birthDate", "updatedAt")
     SELECT 'part-' || i, 'part-' || i || '@example.eu', ($2::text[])[1 + i % array_length($2::text[], 1)], DATE '1990-01-01', now()
       FROM generate_series(1, $1::int) i`,
    [MEMBERS, COUNTRIES],
  );
  for (let campaign = 0; campaign < CAMPAIGNS; campaign++) {
    const channel = campaign % 2 === 0 ? "email" : "in_app";
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO "Campaign" (name, channels, status, "launchedAt", "audienceAt", "completedAt", "updatedAt") VALUES ($1, $2, 'done', now(), now(), now(), now()) RETURNING id`,
      [`partitions ${campaign}`, [channel]],
    );
    await pool.query(`INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt") SELECT id, $1, $2, 'sent', now() FROM "Member"`, [rows[0]!.id, channel]);
  }
  await pool.query(
    `INSERT INTO "Objection" ("memberId", email, country, source) SELECT id, email, country, 'direct' FROM "Member" WHERE "externalId" LIKE '%0'`,
  );
  await pool.query("VACUUM ANALYZE");
};

const NOT_YET_REACHED_SQL = `SELECT count(*) FILTER (WHERE ${alreadyReachedWhere("NULL")}) AS reached FROM "Member" m WHERE m.id = ANY($1::uuid[])`;

type TSetup = { label: string; pool: pg.Pool; name: string };

const randomExternalId = () => `part-${1 + Math.floor(Math.random() * MEMBERS)}`;

const sampleIds = async (pool: pg.Pool, sql: string, count: number) => (await pool.query<{ id: string }>(sql, [count])).rows.map((row) => row.id);

/** Each read, once per run on each database in turn, the order swapped every run. */
const measure = async (setups: [TSetup, TSetup]) => {
  const reads: Record<string, (pool: pg.Pool, run: number, ids: Map<pg.Pool, { members: string[]; notices: string[] }>) => Promise<unknown>> = {
    "notices API (latest in-app notice)": (pool) => pool.query(IN_APP_NOTICES_SQL, [randomExternalId()]),
    "console member page (every notice)": (pool) => pool.query(MEMBER_NOTICE_HISTORY_SQL.externalId, [randomExternalId()]),
    "not yet reached, 1,000 members": (pool, run, ids) => pool.query(NOT_YET_REACHED_SQL, [ids.get(pool)!.members.slice((run % 50) * 1000, (run % 50) * 1000 + 1000)]),
    "link page (a notice by id, clicked)": (pool, run, ids) => pool.query(OPEN_PERSONAL_LINK_SQL, ["notification", ids.get(pool)!.notices[run]]),
  };
  const ids = new Map<pg.Pool, { members: string[]; notices: string[] }>();
  for (const { pool } of setups) {
    ids.set(pool, {
      members: await sampleIds(pool, `SELECT id FROM "Member" ORDER BY random() LIMIT $1`, 50_000),
      notices: await sampleIds(pool, `SELECT id FROM "Notification" ORDER BY random() LIMIT $1`, RUNS + 1),
    });
  }
  const ratios: Record<string, number> = {};
  for (const [name, read] of Object.entries(reads)) {
    const samples = new Map<pg.Pool, number[]>(setups.map(({ pool }) => [pool, []]));
    for (const { pool } of setups) await read(pool, RUNS, ids);
    for (let run = 0; run < RUNS; run++) {
      for (const { pool } of run % 2 === 0 ? setups : [setups[1], setups[0]]) {
        const started = performance.now();
        await read(pool, run, ids);
        samples.get(pool)!.push(performance.now() - started);
      }
    }
    const [before, after] = setups.map(({ pool, label }) => {
      const p95 = percentile(samples.get(pool)!, 0.95);
      figure(`${name}, ${label} (ms, p95)`, p95.toFixed(2));
      return p95;
    });
    ratios[name] = after! / before!;
  }
  return ratios;
};

const main = async () => {
  const started = process.hrtime.bigint();
  const databases = [await createDatabaseBefore({ prefix: "objection_bench_partitions_before", before: PARTITIONED }), await createTestDatabase("objection_bench_partitions_after")];
  const setups = databases.map((database, i) => ({ label: i === 0 ? "one table" : `${CAMPAIGNS} partitions`, name: database.name, pool: new pg.Pool({ connectionString: database.url, max: 2 }) })) as [TSetup, TSetup];
  try {
    for (const setup of setups) {
      const seeded = process.hrtime.bigint();
      await seed(setup.pool);
      figure(`seeded ${fmt(MEMBERS)} members, ${fmt(MEMBERS * CAMPAIGNS)} notices, ${setup.label} (s)`, seconds(seeded).toFixed(1));
    }
    const disk = await Promise.all(setups.map(({ pool }) => notificationDiskPerMillion(pool)));
    setups.forEach(({ label }, i) => figure(`disk per million notices, ${label} (MB)`, fmt(disk[i]!)));
    const ratios = await measure(setups);
    const summary = summaryTable();
    for (const [name, ratio] of Object.entries(ratios)) summary.row({ figure: `${name}: partitioned / one table`, target: "≤ 1.2", measured: `${ratio.toFixed(2)}×`, pass: ratio <= 1.2 });
    summary.row({ figure: "disk per million notices: partitioned / one table", target: "", measured: `${(disk[1]! / disk[0]!).toFixed(2)}×` });
    summary.print();
    console.log(`\n(${seconds(started).toFixed(0)} s in all)`);
  } finally {
    for (const { pool, name } of setups) {
      await pool.end();
      await dropTestDatabase(name);
    }
  }
};

main().catch((error: unknown) => {
  console.error(`The benchmark failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
