import type pg from "pg";

import { CHAIN_TABLES } from "@/lib/audit/audit-chain-hash";
import { CHAIN_HEADS_SQL, type TChainHeadRow } from "@/lib/audit/audit-chain-sql";
import type { TAuditChainHeads } from "@/lib/exports/export-manifest";

/** Each chain's head as an export manifest records it (on the caller's connection, so in its transaction's snapshot). */
export const readChainHeads = async (client: pg.ClientBase): Promise<TAuditChainHeads> => {
  const { rows } = await client.query<TChainHeadRow>(CHAIN_HEADS_SQL);
  const head = (table: (typeof CHAIN_TABLES)[number]) => {
    const row = rows.find((candidate) => candidate.chain === table);
    if (!row) throw new Error(`The audit chain head of ${table} is missing ("AuditChainHead"): run the migrations.`);
    return { seq: Number(row.seq), hash: row.hash.toString("hex") };
  };
  return { AuditEvent: head("AuditEvent"), ObjectionEvent: head("ObjectionEvent") };
};
