// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/audit-chain.ts [--rounds N] [--per-round N] [--concurrency N]`
// The submit path with the audit log's chainer running and without, in the same run and database
// (its own, dropped at the end). Not part of `npm test`. Target: chaining costs the submit path at
// most 5 %: p50 latency on/off ≤ 1.05 and throughput on/off ≥ 0.95.
// Each round is --per-round (400) calls of submitObjection (the form's hot path: an objection and
// its "created" ObjectionEvent, unchained) from --concurrency (8) lanes side by side. "On" rounds
// run the chainer in a process of its own (scripts/bench/audit-chain/chainer.ts, started once and
// paused in "off" rounds), as the worker is in production, polling every 200 ms (the worker: 2 s)
// so it is busy through the round; it also catches up on what the "off" round before left unchained. The two alternate, each round's
// order the reverse of the last (ABBA), so a drift of the machine or the tables' size weighs on
// both alike. The schema (the partial index of unchained rows) is the same in both: it is part of
// every insert from now on, chaining or not; its own cost is the one partial-index entry an insert adds.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { parseArgs } from "node:util";

import pg from "pg";

import { jobs } from "@/lib/jobs";
import { TEST_ENV } from "@/test/test-env";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";

import { closeBenchConnections } from "./lib/in-process";
import { figurePrinter, fmt, seconds, summaryTable } from "./lib/report";
import { register, runBench, stopIfInterrupted } from "./lib/run";
import { msFigures, seedMembers, submitFor } from "./webhooks/fixtures";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "10" }, "per-round": { type: "string", default: "400" }, concurrency: { type: "string", default: "8" } }, strict: true });
const whole = (name: keyof typeof values, min: number) => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number of ${min} or more`);
  return value;
};
const ROUNDS = whole("rounds", 2);
const PER_ROUND = whole("per-round", 10);
const CONCURRENCY = whole("concurrency", 1);
const TARGET = { latencyRatio: 1.05, throughputRatio: 0.95 };

const figure = figurePrinter(44);
const summary = summaryTable();

type TCondition = "off" | "on";

/** The chainer's process, paused and ready; `set(condition)` switches it (after its round in flight), `stop()` ends it and resolves the rows it chained. */
const startChainer = async (databaseUrl: string) => {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/bench/audit-chain/chainer.ts"], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ["ignore", "pipe", "inherit"] });
  register({ name: "chainer", stop: async () => void (child.exitCode === null && child.kill("SIGTERM")) });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  /** Waits for the child's line number `count` of `line`. */
  const said = async (line: string, count: number) => {
    while (output.split("\n").filter((text) => text === line).length < count) {
      if (child.exitCode !== null) throw new Error(`the chainer exited with ${child.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  await said("paused", 1);
  const switches = { paused: 1, running: 0 };
  return {
    set: async (condition: TCondition) => {
      const line = condition === "on" ? "running" : "paused";
      child.kill(condition === "on" ? "SIGUSR2" : "SIGUSR1");
      await said(line, ++switches[line]);
    },
    stop: async () => {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
      return Number(/chained (\d+)/.exec(output)?.[1] ?? 0);
    },
  };
};

const main = async () => {
  const started = process.hrtime.bigint();
  const database = await createTestDatabase("objection_bench_chain");
  register({ name: "database", stop: () => dropTestDatabase(database.name) });
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url, DATABASE_POOL_SIZE: "10", LOG_LEVEL: process.env.LOG_LEVEL ?? "error" });
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  pool.on("error", () => undefined);
  register({ name: "connections", stop: () => closeBenchConnections(pool) });
  await jobs();

  const members = await seedMembers({ pool, count: (ROUNDS + 1) * 2 * PER_ROUND, prefix: "bench-chain-" });
  console.log(`Submit path: ${ROUNDS} rounds of ${fmt(PER_ROUND)} submitObjection calls (${CONCURRENCY} lanes) with the chainer off and on, alternating…`);
  const samples: Record<TCondition, number[]> = { off: [], on: [] };
  const elapsed: Record<TCondition, number> = { off: 0, on: 0 };
  const chainer = await startChainer(database.url);
  let next = 0;
  const round = async (condition: TCondition, keep: boolean) => {
    await chainer.set(condition);
    const roundStarted = performance.now();
    const ms: number[] = [];
    let taken = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (taken < PER_ROUND) {
          taken++;
          ms.push((await submitFor(members[next++]!)).ms);
        }
      }),
    );
    const roundMs = performance.now() - roundStarted;
    if (keep) {
      samples[condition].push(...ms);
      elapsed[condition] += roundMs;
    }
    stopIfInterrupted();
  };
  // A round of each first, not kept: code and caches warm up.
  await round("off", false);
  await round("on", false);
  for (let index = 0; index < ROUNDS; index++) {
    for (const condition of (index % 2 === 0 ? ["off", "on"] : ["on", "off"]) as TCondition[]) await round(condition, true);
  }

  const chained = await chainer.stop();
  const off = msFigures(samples.off);
  const on = msFigures(samples.on);
  const perSecond = (condition: TCondition) => samples[condition].length / (elapsed[condition] / 1000);
  const ratio = { p50: on.p50 / off.p50, p95: on.p95 / off.p95, throughput: perSecond("on") / perSecond("off") };
  const { rows } = await pool.query<{ chain: string; seq: string }>(`SELECT chain, seq::text AS seq FROM "AuditChainHead" ORDER BY chain`);
  figure("chainer off (ms per call)", `p50 ${fmt(off.p50, 2)}, p95 ${fmt(off.p95, 2)}; ${fmt(perSecond("off"), 0)} calls/s (${fmt(samples.off.length)} calls)`);
  figure("chainer on (ms per call)", `p50 ${fmt(on.p50, 2)}, p95 ${fmt(on.p95, 2)}; ${fmt(perSecond("on"), 0)} calls/s (${fmt(samples.on.length)} calls)`);
  figure("on / off", `p50 ${ratio.p50.toFixed(3)}, p95 ${ratio.p95.toFixed(3)}, throughput ${ratio.throughput.toFixed(3)}`);
  figure("rows chained during the on rounds", fmt(chained));
  figure("chain heads at the end", rows.map((row) => `${row.chain} ${fmt(Number(row.seq))}`).join(", "));
  summary.row({ figure: "submit p50 latency, chainer on vs off", target: `≤ ${TARGET.latencyRatio.toFixed(2)}×`, measured: `${ratio.p50.toFixed(3)}× (${fmt(on.p50, 2)} vs ${fmt(off.p50, 2)} ms), p95 ${ratio.p95.toFixed(3)}×`, pass: ratio.p50 <= TARGET.latencyRatio });
  summary.row({ figure: "submit throughput, chainer on vs off", target: `≥ ${TARGET.throughputRatio.toFixed(2)}×`, measured: `${ratio.throughput.toFixed(3)}× (${fmt(perSecond("on"), 0)} vs ${fmt(perSecond("off"), 0)} calls/s)`, pass: ratio.throughput >= TARGET.throughputRatio });
  console.log();
  figure("bench total (s)", seconds(started).toFixed(0));
};

runBench({ main, summary: () => summary.print() });
