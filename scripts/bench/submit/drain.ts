import type { ChildProcess } from "node:child_process";

import type pg from "pg";

import { jobs } from "@/lib/jobs";
import { startWorker } from "@/scripts/lib/stack";

import { fmt, seconds, sleep } from "../lib/report";
import { register, stopIfInterrupted } from "../lib/run";
import { sinkCount } from "../lib/smtp-sink";
import { DRAIN_JOBS, DRAIN_MAX_SECONDS, figure, LOGS, logs, RECEIPT_QUEUE, summary, TARGETS } from "./config";
import { receiptBacklog, topUpBacklog } from "./receipts";

/** The worker draining the receipt backlog (topped up to DRAIN_JOBS), timed from its "ready". */
export const drainPhase = async ({ pool, sink, env }: { pool: pg.Pool; sink: ChildProcess; env: Record<string, string> }) => {
  await jobs();
  const before = await receiptBacklog(pool);
  console.log(`Receipt backlog from the submissions: ${fmt(before)}; topping it up to ${fmt(DRAIN_JOBS)}…`);
  const since = process.hrtime.bigint();
  const added = await topUpBacklog({ pool, backlog: before });
  const backlog = await receiptBacklog(pool);
  figure("drain: jobs added in SQL + pg-boss insert", `${fmt(added)} (${seconds(since).toFixed(1)} s)`);
  figure("drain: backlog", fmt(backlog));
  const sentBefore = (await sinkCount(sink)).count;

  const spawned = process.hrtime.bigint();
  const worker = startWorker({ env, logs: LOGS });
  register(worker);
  logs.watch(worker);
  let ready = false;
  worker.child.stdout?.on("data", (chunk: Buffer) => (ready ||= /\bready\b/.test(chunk.toString())));
  while (!ready && seconds(spawned) < 60 && worker.child.exitCode === null) await sleep(50);
  if (worker.child.exitCode !== null) throw new Error(`The worker exited with code ${worker.child.exitCode}`);
  figure("drain: worker start-up (s)", seconds(spawned).toFixed(1));

  // Timed from the worker's "ready", bounded: a slow worker is measured over the window, not waited for.
  const from = process.hrtime.bigint();
  let remaining = backlog;
  let lastReport = 0;
  while (remaining > 0 && seconds(from) < DRAIN_MAX_SECONDS) {
    await sleep(250);
    stopIfInterrupted();
    remaining = await receiptBacklog(pool);
    if (seconds(from) - lastReport >= 15) {
      lastReport = seconds(from);
      console.log(`  ${fmt(lastReport)} s: ${fmt(backlog - remaining)} receipts done, ${fmt(remaining)} left`);
    }
  }
  const elapsed = seconds(from);
  const done = backlog - remaining;
  const rate = done / elapsed;
  const sent = (await sinkCount(sink)).count - sentBefore;
  const { rows: failedRows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state = 'failed'`, [RECEIPT_QUEUE]);
  await worker.stop();
  const drained = remaining === 0;
  // With more than DRAIN_JOBS waiting (a fast form), or not drained, scale the measured rate.
  const forTenThousand = drained && backlog === DRAIN_JOBS ? elapsed : DRAIN_JOBS / rate;
  figure("drain: receipts done / emails at the sink", `${fmt(done)} / ${fmt(sent)} in ${elapsed.toFixed(1)} s (${failedRows[0]!.n} failed)`);
  figure("drain: receipts/s", fmt(rate, 1));
  figure(`drain: ${fmt(DRAIN_JOBS)} receipts (s)`, drained ? elapsed.toFixed(1) : `not drained within ${DRAIN_MAX_SECONDS} s (${fmt(remaining)} left); at this rate ${fmt(forTenThousand)} s`);
  summary.row({ figure: "receipt drain rate (1 worker)", target: `≥ ${TARGETS.drainRate}/s`, measured: `${fmt(rate, 1)} receipts/s`, pass: rate >= TARGETS.drainRate });
  summary.row({
    figure: `receipt drain, ${fmt(DRAIN_JOBS)} jobs`,
    target: `≤ ${TARGETS.drainSeconds} s`,
    measured: drained ? `${elapsed.toFixed(1)} s for ${fmt(backlog)}` : `not drained in ${DRAIN_MAX_SECONDS} s: ${fmt(remaining)} left (≈ ${fmt(forTenThousand)} s at this rate)`,
    pass: drained && forTenThousand <= TARGETS.drainSeconds,
  });
};
