// `npm run export -- [--out DIR|s3://bucket/prefix] [--cutoff ISO] [--format csv|jsonl|parquet]`:
// one export run, as the nightly job does it, into EXPORT_STORAGE or EXPORT_DIR unless --out says
// otherwise; prints what it wrote.
import { parseArgs } from "node:util";

import { SingleBar } from "cli-progress";
import { z } from "zod";

import { systemActor } from "@/lib/auth/actor";
import { assertEnv, env } from "@/lib/env";
import { EXPORT_FORMATS } from "@/lib/exports/export-manifest";
import { deleteExpiredRunFiles, writeMissingManifests } from "@/lib/exports/export-housekeeping";
import { isAppError } from "@/lib/errors/app-error";
import { exportSettings } from "@/lib/exports/export-settings";
import { exportStorageAt } from "@/lib/exports/export-storage";
import { runExport } from "@/lib/exports/run-export";
import { closePgPool, pgPool } from "@/lib/pg";

/** The CLI runs the export as a job of its own, by the same rules as the nightly one. */
const EXPORT_CLI_ACTOR = systemActor("export-cli");

const ZArgs = z.object({
  out: z.string().min(1, { error: "--out must name a folder or an s3:// URL" }).optional(),
  cutoff: z.iso
    .datetime({ offset: true, error: "--cutoff must be an ISO 8601 instant, e.g. 2026-11-29T02:00:00Z" })
    .transform((value) => new Date(value))
    .refine((date) => date <= new Date(), { error: "--cutoff must not be in the future" })
    .optional(),
  format: z.enum(EXPORT_FORMATS, { error: `--format must be one of: ${EXPORT_FORMATS.join(", ")}` }).optional(),
});

const main = async () => {
  const { values } = parseArgs({ options: { out: { type: "string" }, cutoff: { type: "string" }, format: { type: "string" } }, strict: true });
  const parsed = ZArgs.safeParse(values);
  if (!parsed.success) {
    console.error(parsed.error.issues.map((issue) => issue.message).join("; "));
    process.exit(2);
  }
  assertEnv();
  let settings: ReturnType<typeof exportSettings>;
  try {
    settings = exportSettings();
  } catch (error) {
    if (!isAppError(error, "not_configured")) throw error;
    console.error(error.message);
    process.exit(2);
  }
  const storage = parsed.data.out ? exportStorageAt(parsed.data.out) : settings.storage;

  const { rows } = await pgPool().query<{ count: string }>(`SELECT count(*) FROM "Objection" WHERE status = 'effective'`);
  const bar = process.stderr.isTTY ? new SingleBar({ format: "export [{bar}] {percentage}% | {value}/{total} rows | ETA {eta}s", hideCursor: true }) : null;
  bar?.start(Number(rows[0]?.count ?? 0), 0);
  try {
    await writeMissingManifests({ actor: EXPORT_CLI_ACTOR });
    const manifest = await runExport({ ...settings, actor: EXPORT_CLI_ACTOR, storage, format: parsed.data.format ?? settings.format, cutoff: parsed.data.cutoff, onProgress: (count) => bar?.increment(count) });
    bar?.stop();
    console.log(`Export ${manifest.runId} as of ${manifest.cutoff}: ${manifest.files.map((file) => `${file.name} (${file.rows} rows)`).join(", ")}`);
    console.log(`Manifest: ${storage.location}/${manifest.runId}/manifest.json`);
    console.log(`Verify it: npm run export:verify -- ${storage.location}/${manifest.runId}`);
    const deleted = await deleteExpiredRunFiles({ actor: EXPORT_CLI_ACTOR, keep: env().EXPORT_KEEP_RUNS });
    if (deleted.length > 0) console.log(`Retention deleted the files of ${deleted.length} older run(s).`);
  } catch (error) {
    bar?.stop();
    console.error(`The export failed and left no manifest: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await closePgPool();
  }
};

void main();
