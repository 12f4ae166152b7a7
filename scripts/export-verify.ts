// `npm run export:verify -- <run folder | s3://bucket/prefix/<run id> | run id> [--public-key FILE] [--no-chain]`
// Checks a run before the pipeline applies it: the manifest's signature, every file's sha256 and
// row count, and that the previous run (its signed manifest and snapshot) plus this delta equals
// this snapshot; `--no-chain` skips that last check, for a run whose predecessor retention deleted.
// Exits 1 and names each problem when anything is off, 2 when it cannot start.
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

import { z } from "zod";

import { exportStorageAt, type TExportStorage } from "@/lib/exports/export-storage";
import { verifyExportRun } from "@/lib/exports/verify-export";

import { requiredTrustedPublicKey, stop } from "./lib/trusted-public-key";

const ZRunId = z.uuid();

/** Where the run lives, from what the engineer typed. */
const locate = (target: string): { storage: TExportStorage; runId: string } => {
  const trimmed = target.replace(/\/manifest\.json$/, "").replace(/\/+$/, "");
  if (trimmed.startsWith("s3://")) {
    const runId = trimmed.split("/").pop() ?? "";
    if (!ZRunId.safeParse(runId).success) stop(`${target}: an S3 URL must end with the run id, e.g. s3://bucket/prefix/<run id>`);
    return { storage: exportStorageAt(trimmed.slice(0, -runId.length - 1)), runId };
  }
  if (ZRunId.safeParse(trimmed).success && !existsSync(trimmed)) {
    const location = process.env.EXPORT_STORAGE || path.resolve(process.env.EXPORT_DIR || "exports");
    return { storage: exportStorageAt(location), runId: trimmed };
  }
  if (!existsSync(path.join(trimmed, "manifest.json"))) stop(`${target}: no manifest.json there; give a run's folder, an s3:// URL or a run id`);
  const folder = path.resolve(trimmed);
  return { storage: exportStorageAt(path.dirname(folder)), runId: path.basename(folder) };
};

const main = async () => {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const { values, positionals } = parseArgs({ options: { "public-key": { type: "string" }, "no-chain": { type: "boolean" } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) stop("Usage: npm run export:verify -- <run folder | s3://bucket/prefix/<run id> | run id> [--public-key FILE] [--no-chain]");
  const publicKey = requiredTrustedPublicKey(values["public-key"]);
  const { storage, runId } = locate(positionals[0]!);
  const result = await verifyExportRun({ storage, runId, publicKey, chain: !values["no-chain"] });
  for (const check of result.checks) console.log(`ok    ${check}`);
  for (const problem of result.problems) console.error(`FAIL  ${problem}`);
  console.log(result.ok ? `Run ${runId} verified.` : `Run ${runId} failed verification: ${result.problems.length} problem(s).`);
  process.exitCode = result.ok ? 0 : 1;
};

main().catch((error: unknown) => {
  console.error(`Verification could not finish: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
