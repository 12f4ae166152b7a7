// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/import.ts [--rows N]`
// Measures `npm run members:import` on a CSV file of N new members (default 1,000,000): wall time,
// target ≤ 60 s for 1,000,000, rows per second and the importing process's peak RSS.
// It creates a database of its own and drops it at the end. Not part of `npm test`.
// BENCH_PROFILE=<dir> also writes a CPU profile of the importing process to <dir>.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

import { figurePrinter } from "./lib/report";

const { values } = parseArgs({ options: { rows: { type: "string", default: "1000000" } } });
const ROWS = Number(values.rows);
if (!Number.isInteger(ROWS) || ROWS < 1) throw new Error("--rows must be a whole number of 1 or more");
const SAMPLE_EVERY_MS = 200;
const COUNTRIES = ["AT", "BE", "DE", "FR", "IE", "IT", "NL", "PL", "ES", "SE"];
const LOCALES = ["en", "de", "fr", ""];

const figure = figurePrinter(36);

/** Streams the file to disk, waiting whenever the stream's buffer is full, so the bench's own memory stays flat. */
const writeCsv = async (file: string, rows: number) => {
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  await write("externalId,email,country,birthDate,locale\n");
  let chunk = "";
  for (let i = 1; i <= rows; i++) {
    const day = String(1 + (i % 28)).padStart(2, "0");
    const month = String(1 + (i % 12)).padStart(2, "0");
    chunk += `bench-${i},Member.${i}@Example.EU,${COUNTRIES[i % COUNTRIES.length]},${1940 + (i % 66)}-${month}-${day},${LOCALES[i % LOCALES.length]}\n`;
    if (i % 1_000 === 0) {
      await write(chunk);
      chunk = "";
    }
  }
  await write(chunk);
  out.end();
  await once(out, "finish");
};

/** VmHWM is the kernel's own peak; VmRSS samples back it up should the process end between two reads. */
const memoryKb = (pid: number) => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Math.max(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0), Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0));
  } catch {
    return 0;
  }
};

const main = async () => {
  const database = await createTestDatabase("objection_bench_import");
  const directory = mkdtempSync(path.join(tmpdir(), "bench-import-"));
  try {
    const file = path.join(directory, "members.csv");
    console.log(`Writing ${ROWS.toLocaleString("en")} rows to ${file}…`);
    await writeCsv(file, ROWS);

    const started = process.hrtime.bigint();
    // Node 20 refuses --cpu-prof in NODE_OPTIONS, so it goes on the command line.
    const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
    const child = spawn(process.execPath, [...profile, "--import", "tsx", "scripts/members-import.ts", file], {
      env: {
        ...process.env,
        ...TEST_ENV,
        DATABASE_URL: database.url,
        TSX_TSCONFIG_PATH: "tsconfig.scripts.json",
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    let peakKb = 0;
    const sampler = setInterval(() => (peakKb = Math.max(peakKb, memoryKb(child.pid ?? 0))), SAMPLE_EVERY_MS);
    const [code] = (await once(child, "exit")) as [number | null];
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    if (code !== 0) throw new Error(`members:import exited with ${code}`);

    const imported = Number(/Imported (\d+) rows/.exec(stdout)?.[1] ?? NaN);
    console.log(stdout.trim());
    figure("rows", imported.toLocaleString("en"));
    figure("seconds (target <= 60 for 1,000,000)", seconds.toFixed(1));
    figure("rows/s", (imported / seconds).toFixed(0));
    figure("peak RSS (MB)", (peakKb / 1024).toFixed(0));
  } finally {
    rmSync(directory, { recursive: true, force: true });
    await dropTestDatabase(database.name);
  }
};

main().catch((error: unknown) => {
  console.error(`The benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
