// What every bench prints: figures as they are measured, then a summary table of targets.

export { setTimeout as sleep } from "node:timers/promises";

/** Seconds since `since` (a `process.hrtime.bigint()`). */
export const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

export const fmt = (value: number, digits = 0) => value.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** A line "label   value", the labels padded to `width` so a bench's figures line up. */
export const figurePrinter =
  (width: number) =>
  (label: string, value: string) =>
    console.log(`${label.padEnd(width)} ${value}`);

export type TSummaryRow = { figure: string; target: string; measured: string; pass?: boolean };

/** The rows of the summary, printed at the end with PASS or FAIL where a row has a target. */
export const summaryTable = () => {
  const rows: TSummaryRow[] = [];
  const print = () => {
    console.log("\nSummary");
    const width = Math.max(36, ...rows.map((entry) => entry.figure.length)) + 2;
    console.log(`${"figure".padEnd(width)} ${"target".padEnd(12)} measured`);
    for (const { figure: label, target, measured, pass } of rows) {
      console.log(`${label.padEnd(width)} ${target.padEnd(12)} ${measured}${pass === undefined ? "" : pass ? "  PASS" : "  FAIL"}`);
    }
  };
  return { row: (entry: TSummaryRow) => void rows.push(entry), print };
};

/** The sample at `share` (0.5 the median, 0.95 the p95) of `samples`, by the nearest-rank method. */
export const percentile = (samples: number[], share: number) => [...samples].sort((a, b) => a - b)[Math.max(0, Math.ceil(samples.length * share) - 1)] ?? Number.NaN;

/** `work` `runs` times after one warm-up: the p95 and the median in ms. */
export const timedRuns = async ({ runs, work }: { runs: number; work: () => Promise<unknown> }) => {
  await work();
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return { p95: percentile(samples, 0.95), median: percentile(samples, 0.5) };
};
