import { sign, verify, type KeyObject } from "node:crypto";

import canonicalize from "canonicalize";
import { z } from "zod";

import { ZManifestSignature } from "@/lib/exports/export-manifest";
import { publicKeyOf, signingKeyId } from "@/lib/exports/signing-key";

// A campaign's evidence pack (docs/evidence.md): the ZIP's manifest.json, signed with the export
// signing key the way an export's manifest is (Ed25519 over the RFC 8785 form without `signature`).
// No server-only: the verifier (scripts/evidence-verify.ts and its tests) reads it too.

export const EVIDENCE_SCHEMA_VERSION = 1;

/** The files the manifest describes, in the order the ZIP holds them; manifest.json comes last. */
export const EVIDENCE_FILES = ["notices.csv", "summary.json", "audit.jsonl"] as const;
export type TEvidenceFileName = (typeof EVIDENCE_FILES)[number];
export const EVIDENCE_MANIFEST = "manifest.json";

export const ZEvidenceFile = z
  .object({
    name: z.enum(EVIDENCE_FILES),
    bytes: z.number().int().min(0),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** Data rows: CSV rows after the header, JSON lines; null for summary.json. */
    rows: z.number().int().min(0).nullable(),
  })
  .strict();
export type TEvidenceFile = z.infer<typeof ZEvidenceFile>;

export const ZEvidenceManifest = z
  .object({
    schemaVersion: z.literal(EVIDENCE_SCHEMA_VERSION),
    kind: z.literal("campaign-evidence-pack"),
    campaignId: z.uuid(),
    /** When the pack was made: the database's time as its snapshot was taken. */
    createdAt: z.iso.datetime(),
    files: z.array(ZEvidenceFile),
    signature: ZManifestSignature,
  })
  .strict();
export type TEvidenceManifest = z.infer<typeof ZEvidenceManifest>;
export type TUnsignedEvidenceManifest = Omit<TEvidenceManifest, "signature">;

const signedBytes = (manifest: TUnsignedEvidenceManifest) => Buffer.from(canonicalize(manifest) ?? "", "utf8");

/** Signs a pack's manifest; a signature it already carries is replaced, never signed over. */
export const signEvidenceManifest = ({ manifest, privateKey }: { manifest: TUnsignedEvidenceManifest & { signature?: unknown }; privateKey: KeyObject }): TEvidenceManifest => {
  const { signature, ...unsigned } = manifest;
  return {
    ...unsigned,
    signature: { algorithm: "Ed25519", keyId: signingKeyId(publicKeyOf(privateKey)), value: sign(null, signedBytes(unsigned), privateKey).toString("base64") },
  };
};

/** Null when the signature holds for this public key; otherwise what is wrong, in words. */
export const evidenceSignatureProblem = ({ manifest, publicKey }: { manifest: TEvidenceManifest; publicKey: KeyObject }) => {
  const { signature, ...unsigned } = manifest;
  const expectedKeyId = signingKeyId(publicKey);
  if (signature.keyId !== expectedKeyId) return `manifest.json is signed with key ${signature.keyId}, not the trusted key ${expectedKeyId}`;
  if (!verify(null, signedBytes(unsigned), publicKey, Buffer.from(signature.value, "base64"))) return "manifest.json's signature does not match its content";
  return null;
};
