import { existsSync, readFileSync } from "node:fs";
import type { KeyObject } from "node:crypto";

import { parsePublicKey } from "@/lib/exports/signing-key";

// The verifiers' (audit:verify, evidence:verify, export:verify) one way to find the key they trust
// and to give up: each promises exit 2 when it cannot start.

/** Prints why the verifier cannot go on and exits 2. */
export const stop = (message: string): never => {
  console.error(message);
  process.exit(2);
};

/**
 * The public key to verify signatures with: --public-key FILE (PEM), else EXPORT_PUBLIC_KEY, else the
 * public half of EXPORT_SIGNING_KEY. Undefined when none is given; stops when the file is missing
 * or the key is not Ed25519.
 */
export const trustedPublicKey = (file: string | undefined): KeyObject | undefined => {
  const source = file ? (existsSync(file) ? readFileSync(file, "utf8") : stop(`--public-key ${file}: no such file`)) : (process.env.EXPORT_PUBLIC_KEY ?? process.env.EXPORT_SIGNING_KEY);
  if (!source) return undefined;
  return parsePublicKey(source) ?? stop("The public key is not an Ed25519 key in PEM.");
};

/** The same, for a verifier that has nothing to check without a key: stops when none is given. */
export const requiredTrustedPublicKey = (file: string | undefined): KeyObject =>
  trustedPublicKey(file) ?? stop("Give the public key: --public-key FILE (from GET /api/v1/exports/public-key or `npm run export:public-key`), or set EXPORT_PUBLIC_KEY.");
