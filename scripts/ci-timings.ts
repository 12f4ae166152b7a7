// Prints the CI run's timing table: one line per step (from the steps file .ci/run writes), then
// the slowest tests of every tier (from Vitest's and Playwright's JSON reports).
// Usage: tsx scripts/ci-timings.ts <reports folder>
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

type TTestTime = { name: string; seconds: number };

type TVitestReport = { testResults: { name: string; assertionResults: { fullName: string; duration?: number | null }[] }[] };

type TPlaywrightSpec = { title: string; file: string; tests: { results: { duration: number }[] }[] };
type TPlaywrightSuite = { title: string; specs?: TPlaywrightSpec[]; suites?: TPlaywrightSuite[] };
type TPlaywrightReport = { suites: TPlaywrightSuite[] };

const readJson = <T>(file: string): T | null => (existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : null);

const vitestTimes = ({ file, tier }: { file: string; tier: string }): TTestTime[] =>
  (readJson<TVitestReport>(file)?.testResults ?? []).flatMap((result) =>
    result.assertionResults.map((test) => ({ name: `${tier} ${path.relative(process.cwd(), result.name)} › ${test.fullName}`, seconds: (test.duration ?? 0) / 1000 })),
  );

const playwrightSpecs = (suite: TPlaywrightSuite, titles: string[]): TTestTime[] => [
  ...(suite.specs ?? []).map((spec) => ({
    name: `e2e ${spec.file} › ${[...titles, spec.title].filter(Boolean).join(" › ")}`,
    seconds: Math.max(0, ...spec.tests.flatMap((test) => test.results.map((result) => result.duration))) / 1000,
  })),
  ...(suite.suites ?? []).flatMap((child) => playwrightSpecs(child, [...titles, child.title])),
];

const playwrightTimes = (file: string) => (readJson<TPlaywrightReport>(file)?.suites ?? []).flatMap((suite) => playwrightSpecs(suite, []));

const minutes = (seconds: number) => `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, "0")}s`;

/** .ci/run's two lanes of the fault tier, each with its report. */
const FAULT_LANES = ["a", "b"];

const main = () => {
  const folder = process.argv[2];
  if (!folder) throw new Error("Usage: tsx scripts/ci-timings.ts <reports folder>");
  // Lines of "<step> <start epoch s> <end epoch s>", written by .ci/run.
  const steps = readFileSync(path.join(folder, "steps"), "utf8")
    .trim()
    .split("\n")
    .map((line) => line.split(" "))
    .map(([name, start, end]) => ({ name: name!, start: Number(start), end: Number(end) }));
  const first = Math.min(...steps.map((step) => step.start));
  const last = Math.max(...steps.map((step) => step.end));
  console.log("\nCI timings");
  for (const step of steps) console.log(`  ${step.name.padEnd(10)} ${minutes(step.end - step.start).padStart(7)}   (from ${minutes(step.start - first)})`);
  console.log(`  ${"total".padEnd(10)} ${minutes(last - first).padStart(7)}`);

  const slowest = [...vitestTimes({ file: path.join(folder, "unit.json"), tier: "unit" }), ...playwrightTimes(path.join(folder, "e2e.json")), ...FAULT_LANES.flatMap((lane) => vitestTimes({ file: path.join(folder, `faults-${lane}.json`), tier: "faults" }))]
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, 10);
  console.log("\nThe 10 slowest tests");
  for (const test of slowest) console.log(`  ${test.seconds.toFixed(1).padStart(6)} s  ${test.name.slice(0, 150)}`);
};

main();
