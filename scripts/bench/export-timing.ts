// The export bench's timed runs (scripts/bench/export.ts): what a run took, phase by phase, and its memory.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";

import type { TExportManifest } from "@/lib/exports/export-manifest";
import type { TExportStorage } from "@/lib/exports/export-storage";
import { runExport } from "@/lib/exports/run-export";
import { exportSettingsFor } from "@/test/export-fixtures";

import { figurePrinter, seconds } from "./lib/report";

const figure = figurePrinter(44);
export const count = (n: number) => n.toLocaleString("en");
/** The kernel's peak RSS of this process so far (maxRSS is in KiB). */
export const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

/**
 * Samples RSS every 50 ms while a run goes on: once verification has read whole files, the
 * process's peak says nothing about a later run, and the samples still do.
 */
const rssSampler = () => {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024;
  };
};

export type TTimedRun = {
  manifest: TExportManifest;
  total: number;
  /** From the call to the first snapshot bytes: lock, pending marks, delta SQL, COPY start. */
  beforeSnapshot: number;
  /** From the first to the last snapshot bytes. */
  snapshot: number;
  /** From the last snapshot bytes to the end: delta file, manifest, commit, manifest.json. */
  afterSnapshot: number;
  sampledRssMb: number;
};

export const timedRun = async (storage: TExportStorage): Promise<TTimedRun> => {
  const stopSampling = rssSampler();
  const started = process.hrtime.bigint();
  let firstRows: bigint | undefined;
  let lastRows: bigint | undefined;
  const manifest = await runExport({
    ...exportSettingsFor({ storage }),
    onProgress: () => {
      lastRows = process.hrtime.bigint();
      firstRows ??= lastRows;
    },
  });
  const ended = process.hrtime.bigint();
  const sampledRssMb = stopSampling();
  const span = (from: bigint, to: bigint) => Number(to - from) / 1e9;
  return {
    manifest,
    total: span(started, ended),
    beforeSnapshot: span(started, firstRows ?? ended),
    snapshot: span(firstRows ?? ended, lastRows ?? ended),
    afterSnapshot: span(lastRows ?? ended, ended),
    sampledRssMb,
  };
};

const fileRows = (manifest: TExportManifest, kind: "snapshot" | "delta") => manifest.files.find((file) => file.kind === kind)?.rows ?? -1;

/** Throws unless the run wrote the rows the changes call for. */
export const expectRows = (manifest: TExportManifest, { snapshot, delta }: { snapshot: number; delta: number }) => {
  const got = { snapshot: fileRows(manifest, "snapshot"), delta: fileRows(manifest, "delta") };
  if (got.snapshot !== snapshot || got.delta !== delta) {
    throw new Error(`run ${manifest.runId} wrote ${got.snapshot} snapshot and ${got.delta} delta rows, expected ${snapshot} and ${delta}`);
  }
};

/** `psql \copy` of the snapshot's rows to a file: the baseline. */
export const psqlCopy = (url: string, file: string) => {
  const started = process.hrtime.bigint();
  const sql = `SELECT seq, "objectionId" AS objection_id, member_external_id, email_hmac, country, source, effective_at FROM "ExportMember" ORDER BY seq`;
  execFileSync("psql", [url, "-q", "-v", "ON_ERROR_STOP=1", "-c", `\\copy (${sql}) TO '${file}' WITH (FORMAT csv, HEADER)`], { stdio: ["ignore", "ignore", "inherit"] });
  const elapsed = seconds(started);
  rmSync(file, { force: true });
  return elapsed;
};

export const printRun = (label: string, run: TTimedRun, psql: number) => {
  figure(`${label} run (s, target <= 60)`, run.total.toFixed(1));
  figure(`  before snapshot bytes (s)`, run.beforeSnapshot.toFixed(1));
  figure(`  snapshot streaming (s)`, run.snapshot.toFixed(1));
  figure(`  delta file, commit, manifest (s)`, run.afterSnapshot.toFixed(1));
  figure(`${label} snapshot rows`, count(fileRows(run.manifest, "snapshot")));
  figure(`${label} snapshot rows/s (whole run)`, count(Math.round(fileRows(run.manifest, "snapshot") / run.total)));
  figure(`${label} delta rows`, count(fileRows(run.manifest, "delta")));
  figure(`${label} RSS sampled during run (MB)`, run.sampledRssMb.toFixed(0));
  figure(`${label} / psql (ratio, target <= 2.0)`, (run.total / psql).toFixed(2));
};
