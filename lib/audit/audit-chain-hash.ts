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

/** One column's value as RFC 8785 JSON, by the rules below. */
const canonicalValue = (value: unknown) => {
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  return canonicalize(value) ?? "";
};

/**
 * A row's canonical content: its columns as read by `pg` (SELECT *), without the chain's, as RFC
 * 8785 JSON. Times are ISO strings (the columns hold milliseconds), bigints the strings `pg` gives,
 * jsonb the JSON it holds. A NULL column is left out, so a nullable column added to the table later
 * changes no earlier row's content and keeps every hash valid.
 * Written as `canonicalize` writes an object (its keys sorted by `sort()`, `"key":value` joined by
 * commas), one column at a time: the same text as canonicalize() of the row's content as an object
 * (audit-chain-hash.test.ts), without building that object and its copies for every row (the
 * chainer's and the verifier's hot path, scripts/bench/audit-chain/profile-chainer.ts).
 */
export const canonicalContent = (row: Record<string, unknown>) => {
  let json = "";
  for (const column of Object.keys(row).sort()) {
    const value = row[column];
    if (value === null || value === undefined || CHAIN_COLUMNS.has(column)) continue;
    json += `${json === "" ? "" : ","}${JSON.stringify(column)}:${canonicalValue(value)}`;
  }
  return `{${json}}`;
};

/** hash = sha256(prevHash || canonical content): 32 bytes. */
export const chainHash = (prevHash: Buffer, row: Record<string, unknown>) => createHash("sha256").update(prevHash).update(canonicalContent(row), "utf8").digest();
