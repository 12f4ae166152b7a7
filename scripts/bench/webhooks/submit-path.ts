import type pg from "pg";

import { fmt } from "../lib/report";
import { stopIfInterrupted } from "../lib/run";
import { figure, SUBMIT_PER_ROUND, SUBMIT_ROUNDS, summary, TARGETS } from "./config";
import { addEndpoint, msFigures, removeEndpoints, submitFor } from "./fixtures";

// The submit path with and without webhooks, in the same run and database: submitObjection one
// call after another (its own cost, not a queue's) with no endpoint registered (the outbox's CTEs
// then write nothing) and with one endpoint listening (an event and a delivery per objection).
// The two alternate in rounds, each round's order the reverse of the last (ABBA), so a drift of
// the machine or of the tables' size weighs on both alike. No delivery loop runs: in production
// the worker is another process, and here it would take this process's CPU from the calls.

/** The receiver's address does not matter: nothing is delivered in this part. */
const UNUSED_URL = "http://127.0.0.1:9/hooks";

type TCondition = "none" | "one";

export const submitMembers = () => (SUBMIT_ROUNDS + 1) * 2 * SUBMIT_PER_ROUND;

export const submitPart = async ({ pool, members }: { pool: pg.Pool; members: string[] }) => {
  console.log(`\nSubmit path: submitObjection, ${SUBMIT_ROUNDS} rounds of ${fmt(SUBMIT_PER_ROUND)} calls with no endpoint and ${fmt(SUBMIT_PER_ROUND)} with one, alternating…`);
  const samples: Record<TCondition, number[]> = { none: [], one: [] };
  let next = 0;
  const round = async (condition: TCondition, keep: boolean) => {
    await removeEndpoints(pool);
    if (condition === "one") await addEndpoint(UNUSED_URL);
    for (let call = 0; call < SUBMIT_PER_ROUND; call++) {
      const { ms } = await submitFor(members[next++]!);
      if (keep) samples[condition].push(ms);
    }
    stopIfInterrupted();
  };
  // A round of each first, not kept: the process's code and the database's caches warm up.
  await round("none", false);
  await round("one", false);
  for (let index = 0; index < SUBMIT_ROUNDS; index++) {
    const order: TCondition[] = index % 2 === 0 ? ["none", "one"] : ["one", "none"];
    for (const condition of order) await round(condition, true);
  }
  await removeEndpoints(pool);
  const none = msFigures(samples.none);
  const one = msFigures(samples.one);
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const ratio = { p50: one.p50 / none.p50, p95: one.p95 / none.p95, mean: mean(samples.one) / mean(samples.none) };
  figure("submit: no endpoint (ms)", `p50 ${fmt(none.p50, 2)}, p95 ${fmt(none.p95, 2)}, mean ${fmt(mean(samples.none), 2)} (${fmt(samples.none.length)} calls)`);
  figure("submit: one endpoint listening (ms)", `p50 ${fmt(one.p50, 2)}, p95 ${fmt(one.p95, 2)}, mean ${fmt(mean(samples.one), 2)} (${fmt(samples.one.length)} calls)`);
  figure("submit: with / without", `p50 ${ratio.p50.toFixed(3)}, p95 ${ratio.p95.toFixed(3)}, mean ${ratio.mean.toFixed(3)}`);
  // The median decides: on a shared machine a p95 moves with whatever else runs; both are shown.
  summary.row({ figure: "submit path, one endpoint vs none", target: `≤ ${TARGETS.submitRatio.toFixed(2)}×`, measured: `p50 ${ratio.p50.toFixed(3)}× (${fmt(one.p50, 2)} vs ${fmt(none.p50, 2)} ms), p95 ${ratio.p95.toFixed(3)}×`, pass: ratio.p50 <= TARGETS.submitRatio });
};
