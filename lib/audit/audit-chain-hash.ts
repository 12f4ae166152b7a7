import { createHash } from "node:crypto";

import canonicalize from "canonicalize";

// No `server-only`: the verifier (scripts/audit-verify.ts) and tests hash exactly as the chainer does.

/** The audit tables that carry a hash chain, one chain each. */
export const CHAIN_TABLES = ["AuditEvent", "ObjectionEvent"] as const;
export type TChainTable = (typeof CHAIN_TABLES)[number];

/** The chain's own columns: never part of a row's content. */
const CHAIN_COLUMNS = new Set(["chainSeq", "prevHash", "hash"]);

/** The "previous hash" of each chain's first row. */
export const GENESIS_HASH = Buffer.alloc(32);

/**
 * A row's canonical content: its columns as read by `pg` (SELECT *), without the chain's, as RFC
 * 8785 JSON. Times are ISO strings (the columns hold milliseconds), bigints the strings `pg` gives,
 * jsonb the JSON it holds. A NULL column is left out, so a nullable column added to the table later
 * changes no earlier row's content and keeps every hash valid.
 */
export const canonicalContent = (row: Record<string, unknown>) => {
  const content: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (CHAIN_COLUMNS.has(column) || value === null || value === undefined) continue;
    content[column] = value instanceof Date ? value.toISOString() : typeof value === "bigint" ? value.toString() : value;
  }
  return canonicalize(content) ?? "";
};

/** hash = sha256(prevHash || canonical content): 32 bytes. */
export const chainHash = (prevHash: Buffer, row: Record<string, unknown>) => createHash("sha256").update(prevHash).update(canonicalContent(row), "utf8").digest();
