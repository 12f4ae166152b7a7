// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/pgbouncer.ts`
// The objection form's submit path (submitObjection: one statement that stores the objection, its
// event and its receipt job) straight to PostgreSQL and through PgBouncer 1.18 in transaction mode
// (test/pgbouncer.ts: Debian's package, its defaults), in the same run, on the same database:
// - throughput (submissions/s) and p50, p95, p99 latency of each;
// - the ratios PgBouncer / direct, target: throughput ≥ 0.8, p95 ≤ 1.25;
// - for comparison, direct with the code as it was before (the statement named, plan_cache_mode set
//   at the session's start: scripts/bench/pgbouncer/phase.ts, BENCH_MODE=named), which PgBouncer
//   in transaction mode refuses;
// - nothing lost: one objection per submission that succeeded.
// Each phase is a process of its own (a fresh pool of BENCH_POOL_SIZE connections, PgBouncer's
// default_pool_size the same), with BENCH_CONCURRENCY callers at once; the modes take turns,
// BENCH_ROUNDS times, so a slow spell of the machine falls on all of them alike.
// It creates a database of its own and drops it at the end. Not part of `npm test`.
//
// Environment: BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2), BENCH_ROUNDS (3), BENCH_CONCURRENCY
// (32), BENCH_POOL_SIZE (10), BENCH_MEMBERS_PER_PHASE (40000).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";

import { createCampaign } from "@/test/factories";
import { startPgBouncer } from "@/test/pgbouncer";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

import { register, runBench } from "./lib/run";
import { figurePrinter, fmt, percentile, seconds as secondsSince, summaryTable } from "./lib/report";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 10);
const MEMBERS_PER_PHASE = Number(process.env.BENCH_MEMBERS_PER_PHASE ?? 40_000);
const TARGETS = { throughputRatio: 0.8, p95Ratio: 1.25 };

const MODES = ["direct", "pgbouncer", "named"] as const;
type TMode = (typeof MODES)[number];
const MODE_LABELS: Record<TMode, string> = { direct: "direct", pgbouncer: "PgBouncer (transaction)", named: "direct, named as before" };

type TPhaseResult = { used: number; samples: number[]; failed: number; notCreated: number; firstError?: string; seconds: number };

const figure = figurePrinter(44);
const summary = summaryTable();

/** Members with an email notification each, in bulk; returns the notification ids (each a personal link's subject). */
const seedNotifications = async ({ pool, count }: { pool: pg.Pool; count: number }) => {
  const campaign = await createCampaign({ db: pool, channels: ["email"], status: "done" });
  const { rows } = await pool.query<{ id: string }>(
    `WITH m AS (
       INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
       SELECT 'bench-' || i, 'bench-' || i || '@example.eu', 'IE', date '1950-01-01' + (i % 18000), 'en'
       FROM generate_series(1, $1::int) AS i
       RETURNING id)
     INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt")
     SELECT id, $2, 'email', 'sent', now() FROM m
     RETURNING id`,
    [count, campaign.id],
  );
  return rows.map((row) => row.id);
};

const runPhase = async ({ mode, databaseUrl, directUrl, idsFile }: { mode: TMode; databaseUrl: string; directUrl: string; idsFile: string }) => {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/bench/pgbouncer/phase.ts"], {
    env: {
      ...process.env,
      ...TEST_ENV,
      TSX_TSCONFIG_PATH: "tsconfig.scripts.json",
      DATABASE_URL: databaseUrl,
      DIRECT_DATABASE_URL: directUrl,
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      BENCH_MODE: mode,
      BENCH_IDS_FILE: idsFile,
      BENCH_CONCURRENCY: String(CONCURRENCY),
      BENCH_SECONDS: String(SECONDS),
      BENCH_WARMUP_SECONDS: String(WARMUP_SECONDS),
      LOG_LEVEL: "fatal",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  const line = output.trim().split("\n").at(-1) ?? "";
  if (code !== 0 || !line.startsWith("{")) throw new Error(`The ${mode} phase exited with ${code}: ${output.slice(-2000)}`);
  return JSON.parse(line) as TPhaseResult;
};

const main = async () => {
  const database = await createTestDatabase("objection_bench_pgbouncer");
  register({ name: "database", stop: () => dropTestDatabase(database.name) });
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  register({ name: "bench pool", stop: () => pool.end() });
  const bouncer = await startPgBouncer({ upstreamUrl: database.url, poolSize: POOL_SIZE });
  register({ name: "PgBouncer", stop: bouncer.stop });
  const folder = mkdtempSync(path.join(tmpdir(), "objection-bench-pgbouncer-"));
  register({ name: "folder", stop: async () => rmSync(folder, { recursive: true, force: true }) });

  const phases = ROUNDS * MODES.length;
  console.log(`Seeding ${fmt(phases * MEMBERS_PER_PHASE)} members with a notification each…`);
  const since = process.hrtime.bigint();
  const ids = await seedNotifications({ pool, count: phases * MEMBERS_PER_PHASE });
  await pool.query(`ANALYZE "Member"; ANALYZE "Notification"`);
  figure("seed (s)", secondsSince(since).toFixed(1));
  figure("callers at once / pool / PgBouncer pool", `${CONCURRENCY} / ${POOL_SIZE} / ${POOL_SIZE}`);

  const results: Record<TMode, TPhaseResult[]> = { direct: [], pgbouncer: [], named: [] };
  let phase = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    for (const mode of MODES) {
      const idsFile = path.join(folder, `${phase}.json`);
      writeFileSync(idsFile, JSON.stringify(ids.slice(phase * MEMBERS_PER_PHASE, (phase + 1) * MEMBERS_PER_PHASE)));
      phase++;
      const result = await runPhase({ mode, databaseUrl: mode === "pgbouncer" ? bouncer.urlFor(database.url) : database.url, directUrl: database.url, idsFile });
      results[mode].push(result);
      figure(`round ${round}, ${MODE_LABELS[mode]}`, `${fmt(result.samples.length / result.seconds)}/s, p95 ${percentile(result.samples, 0.95).toFixed(1)} ms, failed ${result.failed}${result.firstError ? ` (${result.firstError})` : ""}`);
    }
  }

  const stats = (mode: TMode) => {
    const samples = results[mode].flatMap((result) => result.samples);
    const seconds = results[mode].reduce((sum, result) => sum + result.seconds, 0);
    return {
      rate: samples.length / seconds,
      p50: percentile(samples, 0.5),
      p95: percentile(samples, 0.95),
      p99: percentile(samples, 0.99),
      failed: results[mode].reduce((sum, result) => sum + result.failed + result.notCreated, 0),
    };
  };
  const all = Object.fromEntries(MODES.map((mode) => [mode, stats(mode)])) as Record<TMode, ReturnType<typeof stats>>;
  console.log("");
  for (const mode of MODES) {
    const { rate, p50, p95, p99, failed } = all[mode];
    figure(MODE_LABELS[mode], `${fmt(rate)} submissions/s, p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, failed ${failed}`);
  }

  const used = MODES.reduce((sum, mode) => sum + results[mode].reduce((inner, result) => inner + result.used - result.failed, 0), 0);
  const stored = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Objection"`)).rows[0]!.n;

  const throughputRatio = all.pgbouncer.rate / all.direct.rate;
  const p95Ratio = all.pgbouncer.p95 / all.direct.p95;
  summary.row({ figure: "throughput, PgBouncer / direct", target: `≥ ${TARGETS.throughputRatio}`, measured: throughputRatio.toFixed(2), pass: throughputRatio >= TARGETS.throughputRatio });
  summary.row({ figure: "p95, PgBouncer / direct", target: `≤ ${TARGETS.p95Ratio}`, measured: p95Ratio.toFixed(2), pass: p95Ratio <= TARGETS.p95Ratio });
  summary.row({ figure: "throughput, direct / as before (named)", target: "", measured: (all.direct.rate / all.named.rate).toFixed(2) });
  summary.row({ figure: "p95, direct / as before (named)", target: "", measured: (all.direct.p95 / all.named.p95).toFixed(2) });
  summary.row({ figure: "failed submissions", target: "0", measured: String(MODES.reduce((sum, mode) => sum + all[mode].failed, 0)), pass: MODES.every((mode) => all[mode].failed === 0) });
  summary.row({ figure: "objections stored / submissions succeeded", target: "equal", measured: `${fmt(stored)} / ${fmt(used)}`, pass: stored === used });
};

runBench({ main, summary: () => summary.print() });
