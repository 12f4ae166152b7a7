// `npm run audit:verify [-- --manifest FILE ...] [--public-key FILE]`
// Checks the audit log's hash chains (docs/operations.md, "Tamper-evident audit log"): every chained
// row of "AuditEvent" and "ObjectionEvent" against its hash and its predecessor's, streamed in
// keyset pages, then the rows still waiting to be chained (one past the grace period fails: the
// chainer has not run), then the chain heads that succeeded export runs recorded in their signed
// manifests (and in each --manifest given, such as the pipeline's copy). With --public-key (or
// EXPORT_PUBLIC_KEY / EXPORT_SIGNING_KEY set), each manifest's signature too.
// Exits 0 when all holds; 1 naming the first row that fails in each chain, the oldest row left
// unchained past the grace period, and each anchor that no longer matches; 2 when it cannot start
// or finish.
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";

import { MultiBar, Presets, type SingleBar } from "cli-progress";
import pg from "pg";

import type { TChainTable } from "@/lib/audit/audit-chain-hash";
import { verifyManifestAnchor } from "@/lib/audit/verify-chain-anchors";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { unchainedOkLines } from "@/lib/audit/verify-unchained-rows";

import { stop, trustedPublicKey } from "./lib/trusted-public-key";

const readManifest = (file: string) => {
  if (!existsSync(file)) stop(`--manifest ${file}: no such file`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as unknown;
  } catch {
    return stop(`--manifest ${file}: not JSON`);
  }
};

/** A bar per chain on a terminal; nothing in a log. */
const progressBars = () => {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const multi = new MultiBar({ format: "{table} [{bar}] {percentage}% | {value}/{total} rows | ETA {eta}s", hideCursor: true, clearOnComplete: false }, Presets.shades_classic);
  const bars = new Map<TChainTable, SingleBar>();
  return {
    update: ({ table, checked, total }: { table: TChainTable; checked: number; total: number }) => {
      const bar = bars.get(table) ?? bars.set(table, multi.create(total, 0, { table: table.padEnd(14) })).get(table)!;
      bar.setTotal(total);
      bar.update(checked);
    },
    stop: () => multi.stop(),
  };
};

const main = async () => {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const { values } = parseArgs({ options: { manifest: { type: "string", multiple: true, default: [] }, "public-key": { type: "string" } }, strict: true });
  const publicKey = trustedPublicKey(values["public-key"]);
  const manifests = values.manifest.map((file) => ({ file, manifest: readManifest(file) }));
  if (!process.env.DATABASE_URL) stop("DATABASE_URL is missing: point it at the database whose audit log to verify (DIRECT_DATABASE_URL is used when set).");
  // The script's one pool: two connections, one reading the next page while the other's is hashed.
  // Not lib/pg.ts's: verifying needs no other variable of the app's.
  const pool = new pg.Pool({ connectionString: process.env.DIRECT_DATABASE_URL || process.env.DATABASE_URL, max: 2, application_name: "objection-audit-verify" });
  const bars = progressBars();
  const verdict = await verifyAuditChain({ pool, publicKey, onProgress: bars.update }).finally(() => bars.stop());
  for (const { file, manifest } of manifests) {
    const problems = await verifyManifestAnchor({ pool, manifest, publicKey });
    verdict.problems.push(...problems);
    if (problems.length === 0) console.log(`ok    ${file}: its chain heads are in the chains`);
  }
  await pool.end();
  for (const [table, rows] of Object.entries(verdict.checked)) {
    const failed = verdict.problems.some((problem) => problem.table === table && !problem.unchained);
    console.log(`${failed ? "      " : "ok    "}${table}: ${rows.toLocaleString("en")} chained rows checked${failed ? " before the first that failed" : ""}`);
  }
  for (const line of unchainedOkLines(verdict)) console.log(line);
  console.log(`ok    ${verdict.anchors} export run(s) recording chain heads checked${publicKey ? ", signatures included" : " (no public key given: signatures not checked)"}`);
  for (const problem of verdict.problems) console.error(`FAIL  ${problem.message}`);
  const ok = verdict.problems.length === 0;
  console.log(ok ? "The audit log verified." : `The audit log failed verification: ${verdict.problems.length} problem(s).`);
  process.exitCode = ok ? 0 : 1;
};

main().catch((error: unknown) => {
  console.error(`Verification could not finish: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
