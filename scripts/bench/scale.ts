// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/scale.ts [--sizes 1000000,30000000] [--runs N] [--own-server] [--database URL] [--keep] [--grow-only]`
// The platform's size on this machine: one database grown in place through each of --sizes members
// (default 1,000,000 then 30,000,000), each member with an email notice of one campaign and an
// in-app notice of another (two notices a member, 60,000,000 at 30 M), and an objection for every
// tenth (3,000,000 at 30 M). At each size it measures, p95 of --runs (default 100; 20 for reads):
// - a send chunk: claim 25 queued emails of a running campaign and record them sent, committed;
// - the link page (openPersonalLink) and the form's submit (submitObjection);
// - the console's queue (first page), a campaign's progress, the /api/metrics snapshot;
// - the export's delta step after 10,000 changes (after a run, the first of the chain at the first size);
// - the disk "Notification" uses per million notices.
// and at the end the ratio of each cost at the largest size to the smallest: the target is ≤ 1.2,
// but for the polled reads, which have a ceiling (progress ≤ 50 ms, metrics ≤ 100 ms).
// It prints `df` first: 30 M members need about 45 GB (35 GB of data, up to 8 GB of WAL).
// - --own-server: the database is on a PostgreSQL cluster of the bench's own, configured for the
//   size (lib/scale-server.ts), not on the machine's shared one with its defaults.
// - --database reuses a database an earlier run grew (--keep leaves it in place, its server
//   running), and grows it only past what it holds. The sizes below what it holds are grown and
//   measured in a new database on the same server, by a second process (the app's code reads its
//   database's address once), in the same run.
// - --grow-only grows a database to the largest size, keeps it and measures nothing: growing 30 M
//   takes half an hour or more, which need not be a quiet one, while the measures must be.
// Not part of `npm test`.
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import pg from "pg";

import { exportStorageAt } from "@/lib/exports/export-storage";
import { runExport } from "@/lib/exports/run-export";
import { exportSettingsFor } from "@/test/export-fixtures";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

import { closeBenchConnections, reportBenchFailure } from "./lib/in-process";
import { figurePrinter, fmt, seconds, summaryTable } from "./lib/report";
import { measureClaimAndSend, measureExportDelta, measureMemberPaths, measurePolledReads, notificationDiskPerMillion } from "./lib/scale-measures";
import { createScaleCampaigns, growScaleData, type TScaleCampaigns } from "./lib/scale-seed";
import { createSiblingDatabase, startScaleServer } from "./lib/scale-server";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000000,30000000" },
    runs: { type: "string", default: "100" },
    database: { type: "string" },
    keep: { type: "boolean", default: false },
    "grow-only": { type: "boolean", default: false },
    "own-server": { type: "boolean", default: false },
    // Internal: the run a reused database's run starts for its smaller sizes writes its costs here.
    "costs-to": { type: "string" },
  },
  strict: true,
});
const SIZES = values.sizes.split(",").map(Number);
const RUNS = Number(values.runs);
const READ_RUNS = Math.min(RUNS, 20);
if (SIZES.length < (values["costs-to"] ? 1 : 2) || SIZES.some((size, i) => !Number.isInteger(size) || size < 100_000 || size % 10 !== 0 || (i > 0 && size <= SIZES[i - 1]!))) {
  throw new Error("--sizes must be two or more rising whole numbers of at least 100,000, each a multiple of 10");
}
if (!Number.isInteger(RUNS) || RUNS < 5 || RUNS > 1000) throw new Error("--runs must be a whole number from 5 to 1,000");

const figure = figurePrinter(60);
const ms = (value: number) => value.toFixed(2);

type TStageCosts = Record<string, number>;

// The targets: the polled reads have a ceiling, read from counters or bounded reads (their
// small costs move with how full those are, not with the tables); every other cost at the largest
// size is within 1.2x of the smallest.
const CEILING_MS: Record<string, number> = { "campaign progress": 50, "/api/metrics snapshot": 100 };

/** The database's campaigns and how many members it holds already (a reused one), or a new database's. */
const scaleState = async (pool: pg.Pool): Promise<{ campaigns: TScaleCampaigns; members: number }> => {
  const { rows } = await pool.query<{ email: string | null; inApp: string | null; members: string }>(
    `SELECT (SELECT id FROM "Campaign" WHERE name = 'scale: email') AS email, (SELECT id FROM "Campaign" WHERE name = 'scale: in-app') AS "inApp",
            (SELECT count(*) FROM "Member" WHERE "externalId" LIKE 'scale-%') AS members`,
  );
  const { email, inApp, members } = rows[0]!;
  if (email && inApp) return { campaigns: { email, inApp }, members: Number(members) };
  return { campaigns: await createScaleCampaigns(pool), members: 0 };
};

const measureStage = async ({ pool, campaigns, size, exportDir }: { pool: pg.Pool; campaigns: TScaleCampaigns; size: number; exportDir: string }): Promise<TStageCosts> => {
  const costs: TStageCosts = {};
  const record = (label: string, p95: number) => {
    costs[label] = p95;
    figure(`${fmt(size)}: ${label} (ms, p95)`, ms(p95));
  };
  record("send chunk of 25 (claim + record)", (await measureClaimAndSend({ pool, newest: size, runs: RUNS })).p95);
  const member = await measureMemberPaths({ pool, newest: size, runs: RUNS });
  record("link page (openPersonalLink)", member.linkPage.p95);
  record("form submit (submitObjection)", member.submitForm.p95);
  const reads = await measurePolledReads({ campaigns, runs: READ_RUNS });
  record("console queue, first page", reads.queue.p95);
  record("campaign progress", reads.progress.p95);
  record("/api/metrics snapshot", reads.metrics.p95);
  const started = process.hrtime.bigint();
  await runExport(exportSettingsFor({ storage: exportStorageAt(exportDir) }));
  figure(`${fmt(size)}: export run before the changes (s)`, seconds(started).toFixed(1));
  record("export delta step after 10,000 changes", (await measureExportDelta({ pool, newest: size, runs: 5 })).p95);
  figure(`${fmt(size)}: disk per million notices (MB)`, (await notificationDiskPerMillion(pool)).toFixed(0));
  return costs;
};

type TStage = { size: number; costs: TStageCosts };

/** Grows and measures `sizes` in a new database on `url`'s server, in a process of its own whose figures print as they come. */
const measureInOwnProcess = async ({ sizes, url }: { sizes: number[]; url: string }): Promise<TStage[]> => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "objection-scale-costs-")), "costs.json");
  const sibling = await createSiblingDatabase(url);
  try {
    const args = ["--tsconfig", "tsconfig.scripts.json", process.argv[1]!, "--sizes", sizes.join(","), "--runs", String(RUNS), "--database", sibling.url, "--costs-to", file];
    const child = spawn(path.join("node_modules", ".bin", "tsx"), args, { stdio: "inherit" });
    const [code] = (await once(child, "exit")) as [number | null];
    if (code !== 0) throw new Error(`measuring ${sizes.map((size) => fmt(size)).join(", ")} in a database of its own failed (exit ${code})`);
    return JSON.parse(readFileSync(file, "utf8")) as TStage[];
  } finally {
    await sibling.drop();
    rmSync(path.dirname(file), { recursive: true, force: true });
  }
};

/** The database to grow: --database, a new one on the bench's own server (--own-server), or a new one on the machine's. */
const openDatabase = async () => {
  if (values.database) return { url: values.database, keepNote: "", close: async () => undefined };
  if (values["own-server"]) {
    const server = await startScaleServer();
    const keep = values.keep || values["grow-only"];
    return { url: server.url, keepNote: keep ? `kept the server in ${server.folder}, running: reuse it with --database ${server.url}` : "", close: () => (keep ? Promise.resolve() : server.remove()) };
  }
  const database = await createTestDatabase("objection_bench_scale");
  const keep = values.keep || values["grow-only"];
  return { url: database.url, keepNote: keep ? `kept database ${database.name}: reuse it with --database ${database.url}` : "", close: () => (keep ? Promise.resolve() : dropTestDatabase(database.name)) };
};

const main = async () => {
  if (!values["costs-to"]) console.log(execFileSync("df", ["-h", tmpdir(), "/var/lib/postgresql"], { encoding: "utf8" }).trim());
  const database = await openDatabase();
  const url = database.url;
  // Before anything calls env() or pgPool(): both read process.env once, lazily.
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: url, DATABASE_POOL_SIZE: "4" });
  const pool = new pg.Pool({ connectionString: url, max: 2, options: "-c maintenance_work_mem=1GB -c work_mem=256MB" });
  const exportDir = mkdtempSync(path.join(tmpdir(), "objection-scale-export-"));
  const summary = summaryTable();
  try {
    const state = await scaleState(pool);
    let members = state.members;
    const smaller = values["grow-only"] ? [] : SIZES.filter((size) => size < members);
    const stages: TStage[] = smaller.length > 0 ? await measureInOwnProcess({ sizes: smaller, url }) : [];
    for (const size of values["grow-only"] ? SIZES.slice(-1) : SIZES.filter((size) => size >= members)) {
      if (members < size) {
        const started = process.hrtime.bigint();
        await growScaleData({ pool, campaigns: state.campaigns, from: members + 1, to: size, onPart: (done) => console.log(`  ${fmt(done)} members`) });
        figure(`grow to ${fmt(size)} members, with VACUUM ANALYZE (s)`, seconds(started).toFixed(0));
        members = size;
      }
      if (values["grow-only"]) return;
      stages.push({ size, costs: await measureStage({ pool, campaigns: state.campaigns, size, exportDir }) });
    }
    if (values["costs-to"]) return writeFileSync(values["costs-to"], JSON.stringify(stages));
    const first = stages[0]!;
    const last = stages.at(-1)!;
    for (const label of Object.keys(first.costs)) {
      const ratio = last.costs[label]! / first.costs[label]!;
      const ceiling = CEILING_MS[label];
      if (ceiling === undefined) {
        summary.row({ figure: `${label}: ${fmt(last.size)} / ${fmt(first.size)}`, target: "<= 1.2", measured: ratio.toFixed(2), pass: ratio <= 1.2 });
        continue;
      }
      summary.row({ figure: `${label} at ${fmt(last.size)} (ms; ${ratio.toFixed(2)}x ${fmt(first.size)})`, target: `<= ${ceiling} ms`, measured: ms(last.costs[label]!), pass: last.costs[label]! <= ceiling });
    }
    summary.print();
  } catch (error) {
    reportBenchFailure(error);
  } finally {
    await closeBenchConnections(pool);
    rmSync(exportDir, { recursive: true, force: true });
    if (database.keepNote) console.log(database.keepNote);
    await database.close();
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
