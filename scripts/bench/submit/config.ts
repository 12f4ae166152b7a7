import { QUEUES } from "@/lib/jobs";

import { logProblems } from "../lib/log-problems";
import { figurePrinter, summaryTable } from "../lib/report";

// The submit bench's settings (see the header of scripts/bench/submit.ts), and what its parts print to.

export const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 30_000);
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
export const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
export const DRAIN_MAX_SECONDS = Number(process.env.BENCH_DRAIN_MAX_SECONDS ?? 300);
export const SKIP_BUILD = process.env.BENCH_SKIP_BUILD === "1";
export const LOGS = process.env.BENCH_LOGS === "1";
const PHASES = ["page", "submit", "fixed", "drain"] as const;
type TPhase = (typeof PHASES)[number];
const ONLY = new Set((process.env.BENCH_ONLY ?? PHASES.join(",")).split(",").map((phase) => phase.trim()).filter(Boolean));
for (const phase of ONLY) if (!PHASES.includes(phase as TPhase)) throw new Error(`BENCH_ONLY: unknown phase "${phase}" (use ${PHASES.join(",")})`);
export const runs = (phase: TPhase) => ONLY.has(phase);
// Fewer, and the pools split below (page, submit, fixed rate, warm-up) are too small to mean anything.
if (!(MEMBERS >= 1000) || !(SECONDS > 0)) throw new Error("BENCH_MEMBERS must be at least 1000 and BENCH_SECONDS positive");

export const CONNECTIONS = 50;
export const FIXED_RATE = 150;
export const DRAIN_JOBS = 10_000;
export const RECEIPT_QUEUE = QUEUES.objectionReceipt.name;
// The app's own default (lib/env.ts); TEST_ENV's 4 is sized for tests, not for load. The baseline
// gets the same number of connections, so the comparison is about the code, not the pool.
export const POOL_SIZE = Number(process.env.BENCH_POOL_SIZE ?? 10);
export const NEXT_BIN = "node_modules/next/dist/bin/next";

export const TARGETS = { pageRatio: 0.4, submitRatio: 0.5, fixedP99Ms: 200, drainRate: 200, drainSeconds: 60, rssMb: 300 };

export const figure = figurePrinter(48);
export const summary = summaryTable();
export const logs = logProblems();
