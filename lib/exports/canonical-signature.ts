import { sign, verify, type KeyObject } from "node:crypto";

import canonicalize from "canonicalize";
import { z } from "zod";

import { publicKeyOf, signingKeyId } from "@/lib/exports/signing-key";

// The one way a JSON document is signed with the export signing key: an export's manifest.json and
// an evidence pack's manifest.json (docs/export-format.md, docs/evidence.md). Ed25519 over the
// RFC 8785 (JCS) form of the document without its `signature`. No server-only: the verifiers in
// scripts/ read it too.

export const ZCanonicalSignature = z.object({
  algorithm: z.literal("Ed25519"),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  /** Base64 of the 64-byte signature over the RFC 8785 (JCS) form of the document without `signature`. */
  value: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/),
});
export type TCanonicalSignature = z.infer<typeof ZCanonicalSignature>;

const signedBytes = (unsigned: object) => Buffer.from(canonicalize(unsigned) ?? "", "utf8");

/** Signs a document; a signature it already carries is replaced, never signed over. */
export const signCanonical = <T extends object>({ document, privateKey }: { document: T & { signature?: unknown }; privateKey: KeyObject }): Omit<T, "signature"> & { signature: TCanonicalSignature } => {
  const { signature, ...unsigned } = document;
  return {
    ...unsigned,
    signature: { algorithm: "Ed25519", keyId: signingKeyId(publicKeyOf(privateKey)), value: sign(null, signedBytes(unsigned), privateKey).toString("base64") },
  };
};

/**
 * Null when the document's signature holds for this public key; otherwise what is wrong, in words
 * that start with `name` (what the reader calls the document, e.g. "manifest.json").
 */
export const canonicalSignatureProblem = ({ document, publicKey, name }: { document: { signature: TCanonicalSignature }; publicKey: KeyObject; name: string }) => {
  const { signature, ...unsigned } = document;
  const expectedKeyId = signingKeyId(publicKey);
  if (signature.keyId !== expectedKeyId) return `${name} is signed with key ${signature.keyId}, not the trusted key ${expectedKeyId}`;
  if (!verify(null, signedBytes(unsigned), publicKey, Buffer.from(signature.value, "base64"))) return `${name}'s signature does not match its content`;
  return null;
};
