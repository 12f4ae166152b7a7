// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/submit.ts`
// Measures the personal link page and the objection form on a production build (one `next start`,
// a discarding SMTP sink, one worker), with autocannon at 50 connections and a different member per
// request, against a minimal Next.js route handler doing one `pg` INSERT measured in the same run:
// - GET /o/<token>: req/s, p50, p99; ratio to the baseline, target ≥ 0.4;
// - the form, posted as a browser without JavaScript posts it: submissions/s, p50, p99; ratio to the
//   baseline, target ≥ 0.5; then a fixed 150 submissions/s, target p99 ≤ 200 ms;
// - nothing lost, nothing doubled: one objection, one `created` event and one receipt job per member;
// - the worker draining 10,000 receipts: target ≥ 200/s, ≤ 60 s;
// - the web process's peak RSS during the load, target ≤ 300 MB.
// It creates a database of its own and drops it at the end. Not part of `npm test`.
//
// Environment: BENCH_MEMBERS (30000), BENCH_SECONDS (15), BENCH_WARMUP_SECONDS (3),
// BENCH_DRAIN_MAX_SECONDS (300), BENCH_SKIP_BUILD=1 (reuse .next), BENCH_UNSIGNED_RECEIPTS=1 (receipts
// without their signed file, to compare), BENCH_LOGS=1 (show the app's
// and worker's output), BENCH_ONLY=page,submit,fixed,drain (a subset; the baseline runs whenever
// page or submit does). Its parts: submit/ (phases, checks, settings) and lib/ (shared bench helpers).
import { once } from "node:events";

import type autocannon from "autocannon";
import pg from "pg";

import { stopJobs } from "@/lib/jobs";
import { closePgPool } from "@/lib/pg";
import { freePort } from "@/scripts/lib/free-port";
import { buildApp, startApp } from "@/scripts/lib/stack";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

import { describeLoad, load, statsOf, type TLoadStats } from "./lib/load";
import { sampleRss } from "./lib/rss";
import { register, runBench } from "./lib/run";
import { fmt, seconds, sleep } from "./lib/report";
import { seedLinkMembers } from "./lib/seed";
import { forkSink } from "./lib/smtp-sink";
import { startBaseline } from "./submit/baseline";
import { CONNECTIONS, figure, FIXED_RATE, LOGS, logs, MEMBERS, POOL_SIZE, runs, SECONDS, SKIP_BUILD, summary, TARGETS, WARMUP_SECONDS } from "./submit/config";
import { drainPhase } from "./submit/drain";
import { formPhases, pagePhase } from "./submit/load-phases";
import { checkObjections } from "./submit/receipts";

const main = async () => {
  const started = process.hrtime.bigint();
  const [appPort, baselinePort, sinkPort] = [await freePort(), await freePort(), await freePort()];
  const database = await createTestDatabase("objection_bench_submit");
  register({ name: "database", stop: () => dropTestDatabase(database.name) });
  const env = {
    ...TEST_ENV,
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    APP_URL: `http://127.0.0.1:${appPort}`,
    SMTP_URL: `smtp://127.0.0.1:${sinkPort}`,
    // Receipts go out signed (objection-receipt.jwt attached), as TEST_ENV sets it; 1 sends them without, for the comparison.
    ...(process.env.BENCH_UNSIGNED_RECEIPTS === "1" ? { RECEIPT_SIGNING_KEY: "" } : {}),
  };
  // This process enqueues the drain backlog through lib/jobs, which reads the same variables.
  Object.assign(process.env, env);
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  pool.on("error", () => undefined);
  register({ name: "bench pool", stop: () => pool.end() });
  // pg-boss borrows this process's one pool: stop it, then close the pool.
  register({ name: "pg-boss", stop: () => stopJobs().then(closePgPool) });

  const sink = forkSink(sinkPort);
  register({ name: "SMTP sink", stop: async () => void sink.kill() });
  await once(sink, "message");

  const needsApp = runs("page") || runs("submit") || runs("fixed");
  const needsBaseline = runs("page") || runs("submit");

  console.log(`Seeding ${fmt(MEMBERS)} members with an email notification each…`);
  let since = process.hrtime.bigint();
  const members = await seedLinkMembers({ pool, count: MEMBERS, prefix: "bench-" });
  await pool.query(`ANALYZE "Member"; ANALYZE "Notification"`);
  figure("seed members (s)", seconds(since).toFixed(1));

  // Split the members so no phase sees another's: the GET phase cycles through its pool, every
  // submission takes a member never used before (a new objection each time).
  const fixedSize = Math.min(Math.ceil(FIXED_RATE * SECONDS * 1.2) + CONNECTIONS, Math.floor(MEMBERS * 0.3));
  const pageSize = Math.floor(MEMBERS * 0.25);
  const warmSize = Math.min(500, Math.floor(MEMBERS * 0.05));
  const pools = {
    sample: members.slice(0, 2),
    pagePool: members.slice(2, 2 + pageSize),
    fixedPool: members.slice(2 + pageSize, 2 + pageSize + fixedSize),
    warmPool: members.slice(2 + pageSize + fixedSize, 2 + pageSize + fixedSize + warmSize),
    submitPool: members.slice(2 + pageSize + fixedSize + warmSize),
  };
  figure("members: page / submit / fixed / warm-up", `${fmt(pools.pagePool.length)} / ${fmt(pools.submitPool.length)} / ${fmt(pools.fixedPool.length)} / ${fmt(pools.warmPool.length)}`);

  let baseline: TLoadStats | undefined;
  if (needsBaseline) {
    await pool.query(`CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, note text, at timestamptz NOT NULL DEFAULT now())`);
    console.log("Building and starting the baseline app (a route handler doing one pg INSERT)…");
    await startBaseline({ databaseUrl: database.url, port: baselinePort });
    const url = `http://127.0.0.1:${baselinePort}`;
    const request: autocannon.Request = { method: "GET", path: "/baseline" };
    await load({ url, seconds: WARMUP_SECONDS, connections: CONNECTIONS, request });
    const result = await load({ url, seconds: SECONDS, connections: CONNECTIONS, request });
    baseline = statsOf(result, result["2xx"]);
    figure("baseline: pg INSERT route", `${describeLoad(baseline)} (${fmt(result.non2xx)} non-2xx, ${fmt(result.errors)} errors)`);
    summary.row({ figure: "baseline (pg INSERT route)", target: "baseline", measured: describeLoad(baseline) });
  }

  if (!needsApp && !runs("drain")) return;

  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  if (needsApp) {
    if (!SKIP_BUILD) {
      console.log("Building the app (next build)…");
      since = process.hrtime.bigint();
      await buildApp(env);
      figure("next build (s)", seconds(since).toFixed(0));
    }
    // BENCH_APP_NODE_OPTIONS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") reaches the app only.
    const appNodeOptions = process.env.BENCH_APP_NODE_OPTIONS;
    app = await startApp({ env: appNodeOptions ? { ...env, NODE_OPTIONS: appNodeOptions } : env, port: appPort, logs: LOGS });
    register(app);
    logs.watch(app);
  }
  // The worker starts only for the drain phase: the receipts of every submission then wait in the
  // queue (the backlog the drain measures), and the worker takes no CPU from the web process
  // while it is measured.
  const appUrl = `http://127.0.0.1:${appPort}`;
  const rss = app?.child.pid ? sampleRss(app.child.pid) : undefined;
  const successes = new Set<string>();
  const ratio = (rate: number) => (baseline ? rate / baseline.rate : NaN);

  if (runs("page")) await pagePhase({ appUrl, pagePool: pools.pagePool, ratio });
  if (runs("submit") || runs("fixed")) await formPhases({ appUrl, pools, successes, ratio });

  if (rss) {
    rss.stop();
    figure("web peak RSS (MB, process tree)", `${fmt(rss.peak())} (${rss.processes()} process${rss.processes() === 1 ? "" : "es"})`);
    summary.row({ figure: "web peak RSS during load", target: `≤ ${TARGETS.rssMb} MB`, measured: `${fmt(rss.peak())} MB`, pass: rss.peak() <= TARGETS.rssMb });
  }

  if (runs("submit") || runs("fixed")) {
    console.log("Checking every objection in the database…");
    // Let requests cut off at the end of a run finish on the server before counting.
    await sleep(2000);
    const check = await checkObjections({ pool, successes });
    summary.row({
      figure: "nothing lost, nothing doubled",
      target: "exactly 1",
      measured: `${fmt(check.exact)}/${fmt(successes.size)} exact, ${check.lost} lost, ${check.doubled} doubled, ${check.incomplete + check.orphans} incomplete`,
      pass: check.pass,
    });
  }

  if (runs("drain")) await drainPhase({ pool, sink, env });
  figure("bench total (s)", seconds(started).toFixed(0));
};

runBench({
  main,
  summary: () => {
    summary.print();
    logs.print();
  },
});
