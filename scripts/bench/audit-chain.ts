// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/audit-chain.ts [--rounds N] [--per-round N] [--concurrency N] [--poll-ms N]`
// The submit path with the audit log's chainer running and without, in the same run and database
// (its own, dropped at the end). Not part of `npm test`. Target: the chain costs the submit path at
// most 5 %: p50 latency on/off ≤ 1.05 and throughput on/off ≥ 0.95.
// Each round is --per-round (6,000) calls of submitObjection (the form's hot path: an objection and
// its "created" ObjectionEvent) from --concurrency (8) lanes side by side, --rounds (6) pairs. "Off" is the app as it
// was before the chain: the insert triggers that queue rows for chaining disabled, no chainer. "On"
// is the chain at work: the triggers on, and the chainer running in a process of its own
// (scripts/bench/audit-chain/chainer.ts, started once, paused in "off" rounds), as the worker runs
// it in production: batches back to back while they come back full, else a wait of --poll-ms (by
// default the worker's 2,000; a shorter one makes each batch's fixed cost come more often, and
// chains more of a round's rows within it: the bench prints how many). Before every round, untimed, the bench
// chains whatever is left and switches the triggers. The two alternate in short rounds, each
// pair's order the reverse of the last (ABBA), so drift of the machine or of the tables' size
// weighs on both alike; on a machine shared with other work, the median of the pairs' ratios is
// the steadier figure. It also prints CPU per call from /proc, which that other work moves less.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { parseArgs } from "node:util";

import pg from "pg";

import { CHAIN_TABLES } from "@/lib/audit/audit-chain-hash";
import { AUDIT_CHAIN_POLL_MS, chainAuditLogs } from "@/lib/audit/chain-audit-log";
import { jobs } from "@/lib/jobs";
import { TEST_ENV } from "@/test/test-env";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";

import { closeBenchConnections } from "./lib/in-process";
import { figurePrinter, fmt, percentile, seconds, summaryTable } from "./lib/report";
import { register, runBench, stopIfInterrupted } from "./lib/run";
import { msFigures, seedMembers, submitFor } from "./webhooks/fixtures";
import { backendsCpuMs, ownCpuMs } from "./audit-chain/cpu";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "6" },
    "per-round": { type: "string", default: "6000" },
    concurrency: { type: "string", default: "8" },
    "poll-ms": { type: "string", default: String(AUDIT_CHAIN_POLL_MS) },
  },
  strict: true,
});
const whole = (name: keyof typeof values, min: number) => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number of ${min} or more`);
  return value;
};
const ROUNDS = whole("rounds", 2);
const PER_ROUND = whole("per-round", 10);
const CONCURRENCY = whole("concurrency", 1);
const POLL_MS = whole("poll-ms", 10);
const TARGET = { latencyRatio: 1.05, throughputRatio: 0.95 };

const figure = figurePrinter(44);
const summary = summaryTable();

type TCondition = "off" | "on";

/** The chainer's process, paused and ready; `set(condition)` switches it (after its round in flight), `stop()` ends it and resolves the rows it chained. */
const startChainer = async (databaseUrl: string) => {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/bench/audit-chain/chainer.ts"], { env: { ...process.env, DATABASE_URL: databaseUrl, AUDIT_CHAIN_BENCH_POLL_MS: String(POLL_MS) }, stdio: ["ignore", "pipe", "inherit"] });
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
    /** Ends it; resolves its CPU since it was ready, in ms. */
    stop: async () => {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
      return Number(/chained \d+ cpu (\d+)/.exec(output)?.[1] ?? Number.NaN);
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
  console.log(`Submit path: ${ROUNDS} rounds of ${fmt(PER_ROUND)} submitObjection calls (${CONCURRENCY} lanes) with the chainer off and on (polling every ${fmt(POLL_MS)} ms), alternating…`);
  const samples: Record<TCondition, number[]> = { off: [], on: [] };
  const elapsed: Record<TCondition, number> = { off: 0, on: 0 };
  // Each round's p50, so each pair of rounds gives a ratio of its own: the median of those resists one disturbed round.
  const roundP50: Record<TCondition, number[]> = { off: [], on: [] };
  const chainer = await startChainer(database.url);
  // CPU of the timed windows: the submit path's (this process and the app pool's server processes) and the chainer's server processes.
  const cpu = { submitOff: 0, submitOn: 0, chainerBackends: 0 };
  const submitCpu = async () => ownCpuMs() + (await backendsCpuMs({ pool, applicationName: "objection" }));
  const chainerBackendsCpu = () => backendsCpuMs({ pool, applicationName: "objection-bench-chainer" });
  const chainedSoFar = async () => Number((await pool.query<{ seq: string }>(`SELECT sum(seq)::text AS seq FROM "AuditChainHead"`)).rows[0]!.seq);
  let chainedInRounds = 0;
  let leftAfterRounds = 0;
  let next = 0;
  const round = async (condition: TCondition, keep: boolean) => {
    // Untimed, before each round: whatever is left unchained, so an "on" round chains its own rows and no others.
    while (Object.values(await chainAuditLogs({ pool })).some((rows) => rows > 0));
    for (const table of CHAIN_TABLES) await pool.query(`ALTER TABLE "${table}" ${condition === "on" ? "ENABLE" : "DISABLE"} TRIGGER "${table}_chain_pending"`);
    const before = await chainedSoFar();
    if (condition === "on") await chainer.set("on");
    const [submitCpuBefore, chainerCpuBefore] = [await submitCpu(), await chainerBackendsCpu()];
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
    const [submitCpuAfter, chainerCpuAfter] = [await submitCpu(), await chainerBackendsCpu()];
    if (condition === "on") await chainer.set("off");
    if (keep) {
      samples[condition].push(...ms);
      elapsed[condition] += roundMs;
      roundP50[condition].push(msFigures(ms).p50);
      chainedInRounds += (await chainedSoFar()) - before;
      if (condition === "on") leftAfterRounds += Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "AuditChainPending"`)).rows[0]!.n);
      cpu[condition === "on" ? "submitOn" : "submitOff"] += submitCpuAfter - submitCpuBefore;
      if (condition === "on") cpu.chainerBackends += chainerCpuAfter - chainerCpuBefore;
    }
    stopIfInterrupted();
  };
  // A round of each first, not kept: code and caches warm up.
  await round("off", false);
  await round("on", false);
  for (let index = 0; index < ROUNDS; index++) {
    for (const condition of (index % 2 === 0 ? ["off", "on"] : ["on", "off"]) as TCondition[]) await round(condition, true);
  }

  // The chainer's own process works in "on" rounds only (paused, it sleeps), and the drains between rounds run here, untimed.
  const chainerNodeCpu = await chainer.stop();
  const perCall = { off: cpu.submitOff / samples.off.length, on: cpu.submitOn / samples.on.length };
  // Per row chained within the rounds, times the rows a call writes (chained within its round or left for the next drain).
  const chainerPerRow = (chainerNodeCpu + cpu.chainerBackends) / chainedInRounds;
  const rowsPerCall = (chainedInRounds + leftAfterRounds) / samples.on.length;
  const off = msFigures(samples.off);
  const on = msFigures(samples.on);
  const perSecond = (condition: TCondition) => samples[condition].length / (elapsed[condition] / 1000);
  const ratio = { p50: on.p50 / off.p50, p95: on.p95 / off.p95, throughput: perSecond("on") / perSecond("off") };
  const pairRatios = roundP50.on.map((p50, index) => p50 / roundP50.off[index]!);
  const { rows } = await pool.query<{ chain: string; seq: string }>(`SELECT chain, seq::text AS seq FROM "AuditChainHead" ORDER BY chain`);
  figure("chainer off (ms per call)", `p50 ${fmt(off.p50, 2)}, p95 ${fmt(off.p95, 2)}; ${fmt(perSecond("off"), 0)} calls/s (${fmt(samples.off.length)} calls)`);
  figure("chainer on (ms per call)", `p50 ${fmt(on.p50, 2)}, p95 ${fmt(on.p95, 2)}; ${fmt(perSecond("on"), 0)} calls/s (${fmt(samples.on.length)} calls)`);
  figure("on / off", `p50 ${ratio.p50.toFixed(3)}, p95 ${ratio.p95.toFixed(3)}, throughput ${ratio.throughput.toFixed(3)}`);
  figure("p50 on / off, each pair of rounds", `${pairRatios.map((value) => value.toFixed(3)).join(", ")} (median ${percentile(pairRatios, 0.5).toFixed(3)})`);
  figure("rows chained within the on rounds", `${fmt(chainedInRounds)} of the ${fmt(chainedInRounds + leftAfterRounds)} they wrote (polling every ${fmt(POLL_MS)} ms when idle; the rest chained untimed after)`);
  figure("CPU per call: submit path off / on (ms)", `${perCall.off.toFixed(2)} / ${perCall.on.toFixed(2)} (this process and its server processes, timed windows)`);
  figure("CPU per chained row: chainer (ms)", `${chainerPerRow.toFixed(3)} (its process ${fmt(chainerNodeCpu)} ms + its server processes ${fmt(cpu.chainerBackends)} ms, ${fmt(chainedInRounds)} rows)`);
  figure("CPU per call: chain / submit path", `${((100 * (perCall.on - perCall.off)) / perCall.off).toFixed(1)} % (the queue's trigger) + ${((100 * chainerPerRow * rowsPerCall) / perCall.off).toFixed(1)} % (the chainer, ${rowsPerCall.toFixed(2)} rows a call)`);
  figure("chain heads at the end", rows.map((row) => `${row.chain} ${fmt(Number(row.seq))}`).join(", "));
  summary.row({ figure: "submit p50 latency, chainer on vs off", target: `≤ ${TARGET.latencyRatio.toFixed(2)}×`, measured: `${ratio.p50.toFixed(3)}× (${fmt(on.p50, 2)} vs ${fmt(off.p50, 2)} ms), p95 ${ratio.p95.toFixed(3)}×`, pass: ratio.p50 <= TARGET.latencyRatio });
  summary.row({ figure: "submit throughput, chainer on vs off", target: `≥ ${TARGET.throughputRatio.toFixed(2)}×`, measured: `${ratio.throughput.toFixed(3)}× (${fmt(perSecond("on"), 0)} vs ${fmt(perSecond("off"), 0)} calls/s)`, pass: ratio.throughput >= TARGET.throughputRatio });
  // A round shorter than a few polls chains little within it, and the figures above then say little about chaining.
  const coverage = chainedInRounds / (chainedInRounds + leftAfterRounds);
  summary.row({ figure: "rows chained within the on rounds", target: "≥ 90 %", measured: `${(100 * coverage).toFixed(1)} % (else: lower --poll-ms or raise --per-round)`, pass: coverage >= 0.9 });
  console.log();
  figure("bench total (s)", seconds(started).toFixed(0));
};

runBench({ main, summary: () => summary.print() });
