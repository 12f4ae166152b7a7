import "server-only";

import type { KeyObject } from "node:crypto";

import type { JWK } from "jose";

import { env } from "@/lib/env";
import { parseSigningKey, publicKeyOf, signingKeyId } from "@/lib/exports/signing-key";

/** A public key as GET /.well-known/jwks.json lists it. */
export type TReceiptPublicJwk = JWK & { kid: string; alg: "EdDSA"; use: "sig" };

export type TReceiptSigningKey = { privateKey: KeyObject; kid: string; publicJwk: TReceiptPublicJwk };

/** The public half of an Ed25519 key as a JWK, named by its key id. */
export const publicJwkOf = (publicKey: KeyObject): TReceiptPublicJwk => {
  const { kty, crv, x } = publicKey.export({ format: "jwk" });
  return { kty, crv, x, kid: signingKeyId(publicKey), alg: "EdDSA", use: "sig" };
};

const keyFrom = (value: string): TReceiptSigningKey | null => {
  const privateKey = parseSigningKey(value);
  if (!privateKey) return null;
  const publicJwk = publicJwkOf(publicKeyOf(privateKey));
  return { privateKey, kid: publicJwk.kid, publicJwk };
};

// Parsed once, not once a receipt: the worker signs hundreds a second.
let parsed: { value: string; key: TReceiptSigningKey | null } | undefined;

/**
 * The key that signs receipts now (RECEIPT_SIGNING_KEY, parsed as the export's key is), with its
 * id and public JWK; null when it is unset, and receipts then go unsigned (docs/receipts.md).
 */
export const receiptSigningKey = (): TReceiptSigningKey | null => {
  const value = env().RECEIPT_SIGNING_KEY;
  if (!value) return null;
  if (parsed?.value !== value) parsed = { value, key: keyFrom(value) };
  return parsed.key;
};
