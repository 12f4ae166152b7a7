// `npm run export -- --out DIR [--cutoff ISO] [--format csv|jsonl]`: writes one export and its
// manifest.json, as the nightly job does, and prints where.
import { parseArgs } from "node:util";

import { SingleBar } from "cli-progress";
import { z } from "zod";

import { assertEnv, env } from "@/lib/env";
import { runExport } from "@/lib/exports/run-export";
import { EXPORT_FORMATS } from "@/lib/exports/write-export-file";
import { closePgPool, pgPool } from "@/lib/pg";

const ZArgs = z.object({
  out: z.string().min(1, { error: "--out must name a folder" }).optional(),
  cutoff: z.iso
    .datetime({ offset: true, error: "--cutoff must be an ISO 8601 instant, e.g. 2026-11-29T02:00:00Z" })
    .transform((value) => new Date(value))
    .refine((date) => date <= new Date(), { error: "--cutoff must not be in the future" })
    .optional(),
  format: z.enum(EXPORT_FORMATS, { error: `--format must be one of: ${EXPORT_FORMATS.join(", ")}` }).default("csv"),
});

const main = async () => {
  const { values } = parseArgs({ options: { out: { type: "string" }, cutoff: { type: "string" }, format: { type: "string" } }, strict: true });
  const parsed = ZArgs.safeParse(values);
  if (!parsed.success) {
    console.error(parsed.error.issues.map((issue) => issue.message).join("; "));
    process.exit(2);
  }
  assertEnv();
  const hashKey = env().EXPORT_HASH_KEY;
  if (!hashKey) {
    console.error("Invalid environment: EXPORT_HASH_KEY is missing (at least 32 characters); exports hash emails with it.");
    process.exit(2);
  }
  const cutoff = parsed.data.cutoff ?? new Date();
  const outDir = parsed.data.out ?? env().EXPORT_DIR;

  const { rows } = await pgPool().query<{ count: string }>(
    `SELECT count(*) FROM "Objection" o WHERE o."effectiveAt" <= $1 AND o.status <> 'rejected' AND (o."withdrawnAt" IS NULL OR o."withdrawnAt" > $1)`,
    [cutoff],
  );
  const bar = process.stderr.isTTY ? new SingleBar({ format: "export [{bar}] {percentage}% | {value}/{total} rows | ETA {eta}s", hideCursor: true }) : null;
  bar?.start(Number(rows[0]?.count ?? 0), 0);
  try {
    const manifest = await runExport({ outDir, cutoff, format: parsed.data.format, hashKey, onProgress: (count) => bar?.increment(count) });
    bar?.stop();
    console.log(`Export ${manifest.runId} as of ${manifest.cutoff}: ${manifest.files.map((file) => `${file.name} (${file.rows} rows)`).join(", ")}`);
    console.log(`Manifest: ${outDir}/${manifest.runId}/manifest.json`);
  } catch (error) {
    bar?.stop();
    console.error(`The export failed and left no manifest: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await closePgPool();
  }
};

void main();
