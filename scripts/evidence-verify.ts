// `npm run evidence:verify -- <pack.zip> [--public-key FILE]`
// Checks a campaign's evidence pack (docs/evidence.md): manifest.json's Ed25519 signature against
// the export public key, and every file's bytes and sha256 against it, none missing and none extra.
// The key: --public-key (PEM, from GET /api/v1/exports/public-key or `npm run export:public-key`),
// else EXPORT_PUBLIC_KEY, else the public half of EXPORT_SIGNING_KEY.
// Exits 0 when the pack verifies, 1 naming each problem when it does not, 2 when it cannot start.
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";

import { verifyEvidencePack } from "@/lib/evidence/verify-evidence-pack";

import { requiredTrustedPublicKey, stop } from "./lib/trusted-public-key";

const main = async () => {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const { values, positionals } = parseArgs({ options: { "public-key": { type: "string" } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) stop("Usage: npm run evidence:verify -- <pack.zip> [--public-key FILE]");
  const zipPath = positionals[0]!;
  if (!existsSync(zipPath)) stop(`${zipPath}: no such file`);
  const publicKey = requiredTrustedPublicKey(values["public-key"]);
  const result = await verifyEvidencePack({ zipPath, publicKey });
  for (const check of result.checks) console.log(`ok    ${check}`);
  for (const problem of result.problems) console.error(`FAIL  ${problem}`);
  console.log(result.ok ? `${zipPath} verified.` : `${zipPath} failed verification: ${result.problems.length} problem(s).`);
  process.exitCode = result.ok ? 0 : 1;
};

main().catch((error: unknown) => {
  console.error(`Verification could not finish: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
