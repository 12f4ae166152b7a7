// `npm run receipt:verify -- <file> [--jwks <file | URL>]`: checks a signed receipt
// (objection-receipt.jwt, docs/receipts.md) against the keys that sign receipts: by default
// ${APP_URL}/.well-known/jwks.json, or a JWK Set saved to a file or served at another URL.
// Exits 0 and prints what the receipt says, or 1 and names the problem. The receipt holds an email
// address: it is printed masked, and nothing here logs it anywhere else.
import { existsSync, readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";

import type { JSONWebKeySet } from "jose";

import { maskEmail } from "@/lib/members/mask-email";
import { verifyReceipt, ZJwks } from "@/lib/receipts/verify-receipt";

/** A receipt is well under 2 KB and a JWK Set a few; anything far larger is not one. */
const MAX_RECEIPT_BYTES = 64 * 1024;
const MAX_JWKS_BYTES = 256 * 1024;

const fail = (message: string): never => {
  console.error(`FAIL  ${message}`);
  process.exit(1);
};

const readCapped = (file: string, maxBytes: number, what: string) => {
  if (!existsSync(file)) fail(`${file}: no such file`);
  if (statSync(file).size > maxBytes) fail(`${file}: too large for ${what} (over ${maxBytes / 1024} KB)`);
  return readFileSync(file, "utf8");
};

const fetchCapped = async (url: string) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000), headers: { accept: "application/jwk-set+json, application/json" } }).catch((error: unknown) =>
    fail(`the JWK Set at ${url} could not be fetched: ${error instanceof Error ? error.message : String(error)}`),
  );
  if (!response.ok) fail(`the JWK Set at ${url} answered ${response.status}`);
  const text = await response.text();
  if (Buffer.byteLength(text) > MAX_JWKS_BYTES) fail(`the JWK Set at ${url} is too large (over ${MAX_JWKS_BYTES / 1024} KB)`);
  return text;
};

const loadJwks = async (source: string | undefined): Promise<JSONWebKeySet> => {
  const appUrl = process.env.APP_URL?.replace(/\/+$/, "");
  const where = source ?? (appUrl ? `${appUrl}/.well-known/jwks.json` : fail("Give the keys: --jwks <file or URL> (GET /.well-known/jwks.json), or set APP_URL."));
  const text = /^https?:\/\//.test(where) ? await fetchCapped(where) : readCapped(where, MAX_JWKS_BYTES, "a JWK Set");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    fail(`${where}: not JSON, so not a JWK Set`);
  }
  const parsed = ZJwks.safeParse(json);
  return parsed.success ? (parsed.data as JSONWebKeySet) : fail(`${where}: ${parsed.error.issues[0]?.message ?? "not a JWK Set"}`);
};

const main = async () => {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const { values, positionals } = parseArgs({ options: { jwks: { type: "string" } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) fail("Usage: npm run receipt:verify -- <objection-receipt.jwt> [--jwks <file or URL>]");
  const jws = readCapped(positionals[0]!, MAX_RECEIPT_BYTES, "a receipt");
  const jwks = await loadJwks(values.jwks);
  const result = await verifyReceipt({ jws, jwks });
  if (!result.ok) fail(result.problem);
  const { receipt } = result as Extract<typeof result, { ok: true }>;
  console.log("ok    the signature matches a published key");
  for (const [name, value] of [
    ["reference", receipt.sub],
    ["status", receipt.status],
    ["effective_at", receipt.effective_at],
    ["withdrawn_at", receipt.withdrawn_at],
    ["email", maskEmail(receipt.email)],
    ["scope", receipt.scope.join(", ")],
    ["controller", receipt.controller],
    ["issuer", receipt.iss],
    ["kid", receipt.kid],
  ] as const) {
    if (value !== undefined) console.log(`${name.padEnd(13)} ${value}`);
  }
};

main().catch((error: unknown) => fail(`verification could not finish: ${error instanceof Error ? error.message : String(error)}`));
