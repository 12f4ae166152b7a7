import type { KeyObject } from "node:crypto";

import { z } from "zod";

import { canonicalSignatureProblem, signCanonical, ZCanonicalSignature } from "@/lib/exports/canonical-signature";

export const EXPORT_SCHEMA_VERSION = 2;
export const EXPORT_FORMATS = ["csv", "jsonl", "parquet"] as const;
export type TExportFormat = (typeof EXPORT_FORMATS)[number];

const ZSha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const ZExportFile = z.object({
  name: z.string().regex(/^(snapshot|delta)\.(csv|jsonl|parquet)$/),
  kind: z.enum(["snapshot", "delta"]),
  rows: z.number().int().min(0),
  bytes: z.number().int().min(0),
  sha256: ZSha256,
});
export type TExportFile = z.infer<typeof ZExportFile>;

/** One audit hash chain's head when the run was made: its last chained row's chainSeq (0: none yet) and hash, hex. */
export const ZAuditChainHead = z.object({ seq: z.number().int().min(0), hash: ZSha256 }).strict();

/**
 * The heads of the audit log's hash chains (docs/operations.md, "Tamper-evident audit log"), read in
 * the run's own transaction and covered by its signature: a manifest in the pipeline's hands
 * anchors the log, so a chain rewritten and re-hashed afterwards no longer matches it. Absent
 * from runs made before the chain existed.
 */
export const ZAuditChainHeads = z.object({ AuditEvent: ZAuditChainHead, ObjectionEvent: ZAuditChainHead }).strict();
export type TAuditChainHeads = z.infer<typeof ZAuditChainHeads>;

/** manifest.json, schema version 2. docs/manifest.schema.json is generated from this. */
export const ZExportManifest = z
  .object({
    schemaVersion: z.literal(EXPORT_SCHEMA_VERSION),
    runId: z.uuid(),
    previousRunId: z.uuid().nullable(),
    cutoff: z.iso.datetime(),
    previousCutoff: z.iso.datetime().nullable(),
    format: z.enum(EXPORT_FORMATS),
    hashKeyId: z.string().min(1).max(64),
    previousLastSeq: z.number().int().min(0),
    lastSeq: z.number().int().min(0),
    files: z.array(ZExportFile).length(2),
    auditChainHeads: ZAuditChainHeads.optional(),
    signature: ZCanonicalSignature,
  })
  .strict();
export type TExportManifest = z.infer<typeof ZExportManifest>;
export type TUnsignedManifest = Omit<TExportManifest, "signature">;

/** Signs a manifest; a signature it already carries is replaced, never signed over. */
export const signManifest = ({ manifest, privateKey }: { manifest: TUnsignedManifest & { signature?: unknown }; privateKey: KeyObject }): TExportManifest =>
  signCanonical({ document: manifest, privateKey });

/** Null when the signature holds for this public key; otherwise what is wrong, in words. */
export const manifestSignatureProblem = ({ manifest, publicKey }: { manifest: TExportManifest; publicKey: KeyObject }) =>
  canonicalSignatureProblem({ document: manifest, publicKey, name: "the manifest" });
