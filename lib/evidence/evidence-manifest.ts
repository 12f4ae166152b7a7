import { z } from "zod";

import { ZCanonicalSignature } from "@/lib/exports/canonical-signature";

// A campaign's evidence pack (docs/evidence.md): the ZIP's manifest.json, signed with the export
// signing key the way an export's manifest is (lib/exports/canonical-signature.ts).
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
    signature: ZCanonicalSignature,
  })
  .strict();
export type TEvidenceManifest = z.infer<typeof ZEvidenceManifest>;
export type TUnsignedEvidenceManifest = Omit<TEvidenceManifest, "signature">;
