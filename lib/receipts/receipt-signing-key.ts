import "server-only";

import type { JWK } from "jose";

import { env } from "@/lib/env";
import { parseSigningKey, publicKeyOf, signingKeyId } from "@/lib/exports/signing-key";

/** A public key as GET /.well-known/jwks.json lists it. */
export type TReceiptPublicJwk = JWK & { kid: string; alg: "EdDSA"; use: "sig" };

/** The public half of an Ed25519 key as a JWK, named by its key id. */
export const publicJwkOf = (publicKey: ReturnType<typeof publicKeyOf>): TReceiptPublicJwk => {
  const { kty, crv, x } = publicKey.export({ format: "jwk" });
  return { kty, crv, x, kid: signingKeyId(publicKey), alg: "EdDSA", use: "sig" };
};

/**
 * The key that signs receipts now (RECEIPT_SIGNING_KEY, parsed as the export's key is), with its
 * id and public JWK; null when it is unset, and receipts then go unsigned (docs/receipts.md).
 */
export const receiptSigningKey = () => {
  const value = env().RECEIPT_SIGNING_KEY;
  const privateKey = value ? parseSigningKey(value) : null;
  if (!privateKey) return null;
  const publicJwk = publicJwkOf(publicKeyOf(privateKey));
  return { privateKey, kid: publicJwk.kid, publicJwk };
};

export type TReceiptSigningKey = NonNullable<ReturnType<typeof receiptSigningKey>>;
