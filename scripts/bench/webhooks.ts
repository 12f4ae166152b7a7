// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/webhooks.ts [--only throughput,latency,submit,recovery] [options]`
// Measures issue 28's four targets for webhook deliveries, in a database of its own (dropped at
// the end), with the app's code in this process and an HTTP receiver here too. Not part of `npm test`.
// - throughput: --deliveries N (20,000) seeded deliveries to one endpoint, the receiver answering
//   after --answer-ms (0), rounds back to back: target ≥ 1,000 deliveries/s per worker, and the
//   most requests open at the receiver ≤ WEBHOOK_ENDPOINT_CONCURRENCY (--concurrency, 64);
// - latency: submitObjection at --rate (150/s) for --seconds (20) with the worker's delivery loop
//   running here, the receiver answering after --receiver-ms (50): target p99 from the form's
//   success to the receiver's 2xx ≤ 5 s, every objection delivered;
// - submit: submitObjection with no endpoint vs one listening, --submit-rounds (10) alternating
//   rounds of --submit-per-round (300) calls each: target p50 ratio ≤ 1.05;
// - recovery: the receiver down (--outage-mode refuse|503) for --outage-minutes (10) while
//   objections come at --outage-rate (20/s), then back: target all delivered ≤ 2 min after, none
//   lost. The clock is real (the retry schedule reads "failingSince"): the full part takes about
//   13 min; --outage-minutes 0.2 is a smoke run.
// The receiver and the worker share this process's CPU (and the submit path, where it runs): the
// throughput is a floor, the latency a ceiling. Its parts: webhooks/ (one file a part) and lib/.
import pg from "pg";

import { jobs } from "@/lib/jobs";
import { TEST_ENV } from "@/test/test-env";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";

import { closeBenchConnections } from "./lib/in-process";
import { fmt, seconds } from "./lib/report";
import { register, runBench } from "./lib/run";
import { CONCURRENCY, figure, RATE, runs, SECONDS, summary } from "./webhooks/config";
import { seedMembers } from "./webhooks/fixtures";
import { LATENCY_WARM_UP, latencyPart } from "./webhooks/latency";
import { recoveryMembers, recoveryPart } from "./webhooks/recovery";
import { submitMembers, submitPart } from "./webhooks/submit-path";
import { throughputPart } from "./webhooks/throughput";

const main = async () => {
  const started = process.hrtime.bigint();
  const database = await createTestDatabase("objection_bench_webhooks");
  register({ name: "database", stop: () => dropTestDatabase(database.name) });
  // The app's own pool size (lib/env.ts), not TEST_ENV's 4: the form's calls, the delivery loop
  // and pg-boss share it here. A failing round logs a warning each time: only errors are shown.
  Object.assign(process.env, TEST_ENV, {
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: "10",
    WEBHOOK_ALLOW_PRIVATE: "1",
    WEBHOOK_ENDPOINT_CONCURRENCY: String(CONCURRENCY),
    LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
  });
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  pool.on("error", () => undefined);
  register({ name: "connections", stop: () => closeBenchConnections(pool) });
  // pg-boss (the receipt's queue) starts at the form's first call: started here, outside every measure.
  await jobs();

  // Every submission takes a member never used before: seeded once, set-based, split by part.
  const sizes = { latency: runs("latency") ? LATENCY_WARM_UP + Math.round(RATE * SECONDS) : 0, submit: runs("submit") ? submitMembers() : 0, recovery: runs("recovery") ? recoveryMembers() : 0 };
  const total = sizes.latency + sizes.submit + sizes.recovery;
  const members = total > 0 ? await seedMembers({ pool, count: total, prefix: "bench-member-" }) : [];
  if (total > 0) figure("members seeded (latency / submit / recovery)", `${fmt(sizes.latency)} / ${fmt(sizes.submit)} / ${fmt(sizes.recovery)}`);
  const latencyMembers = members.slice(0, sizes.latency);
  const submitPool = members.slice(sizes.latency, sizes.latency + sizes.submit);
  const recoveryPool = members.slice(sizes.latency + sizes.submit);

  if (runs("throughput")) await throughputPart(pool);
  if (runs("latency")) await latencyPart({ pool, members: latencyMembers });
  if (runs("submit")) await submitPart({ pool, members: submitPool });
  // Last: the longest by far.
  if (runs("recovery")) await recoveryPart({ pool, members: recoveryPool });
  console.log();
  figure("bench total (s)", seconds(started).toFixed(0));
};

runBench({ main, summary: () => summary.print() });
