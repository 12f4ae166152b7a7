import type { TChainTable } from "@/lib/audit/audit-chain-hash";

// The hash chain's statements (docs/operations.md, "Tamper-evident audit log"). `table` is always
// one of CHAIN_TABLES, never input. No `server-only`: scripts and tests run them too.

/** The chain's head, locked for this transaction: one chainer at a time per chain, cluster-wide. None: another holds it. */
export const LOCK_CHAIN_HEAD_SQL = `SELECT seq::text AS seq, hash FROM "AuditChainHead" WHERE chain = $1 FOR UPDATE SKIP LOCKED`;

export const UPDATE_CHAIN_HEAD_SQL = `UPDATE "AuditChainHead" SET seq = $2::bigint, hash = $3, "chainedAt" = now() WHERE chain = $1`;

/** Every chain's head, unlocked. */
export const CHAIN_HEADS_SQL = `SELECT chain, seq::text AS seq, hash FROM "AuditChainHead" ORDER BY chain`;
export type TChainHeadRow = { chain: TChainTable; seq: string; hash: Buffer };

/** The next rows to chain, in id order, by the partial index of unchained rows. Values: the batch size. */
export const unchainedRowsSql = (table: TChainTable) => `SELECT * FROM "${table}" WHERE "chainSeq" IS NULL ORDER BY id LIMIT $1`;

/**
 * Chains a batch in one statement: each row gets its seq, prevHash and hash, only if still
 * unchained (the trigger allows exactly this one update). Values: ids, seqs (text[]), prev
 * hashes and hashes (hex text[]). Returns how many rows it chained.
 */
export const chainRowsSql = (table: TChainTable) => `
  UPDATE "${table}" t SET "chainSeq" = v.seq, "prevHash" = decode(v.prev, 'hex'), hash = decode(v.hash, 'hex')
    FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS v(id, seq, prev, hash)
   WHERE t.id = v.id AND t."chainSeq" IS NULL`;

/** A page of the chain in chainSeq order, after a seq (keyset, by the unique partial index). Values: after, page size. */
export const chainPageSql = (table: TChainTable) => `SELECT * FROM "${table}" WHERE "chainSeq" > $1::bigint ORDER BY "chainSeq" LIMIT $2`;

/** One chained row by its seq: the hash an export's manifest recorded. Values: seq. */
export const chainRowAtSql = (table: TChainTable) => `SELECT id::text AS id, hash FROM "${table}" WHERE "chainSeq" = $1::bigint`;

/**
 * The chainer's lag per chain, bounded reads of the partial indexes of unchained rows: how many
 * (counted up to $1) and the age in seconds of the oldest by id (0 when none). Rows not yet
 * chained are not yet protected; an age past a few poll intervals means the chainer is not running.
 */
export const CHAIN_LAG_SQL = `
  SELECT 'AuditEvent' AS chain,
         (SELECT count(*)::int FROM (SELECT 1 FROM "AuditEvent" WHERE "chainSeq" IS NULL LIMIT $1) x) AS unchained,
         coalesce((SELECT extract(epoch FROM now() - "createdAt")::float FROM "AuditEvent" WHERE "chainSeq" IS NULL ORDER BY id LIMIT 1), 0) AS "oldestSeconds"
  UNION ALL
  SELECT 'ObjectionEvent',
         (SELECT count(*)::int FROM (SELECT 1 FROM "ObjectionEvent" WHERE "chainSeq" IS NULL LIMIT $1) x),
         coalesce((SELECT extract(epoch FROM now() - "createdAt")::float FROM "ObjectionEvent" WHERE "chainSeq" IS NULL ORDER BY id LIMIT 1), 0)`;
export type TChainLagRow = { chain: TChainTable; unchained: number; oldestSeconds: number };

/** Succeeded export runs whose manifest records chain heads, after a run id (keyset by primary key). Values: after (NIL_UUID first), page size. */
export const ANCHORING_RUNS_SQL = `
  SELECT id::text AS id, manifest FROM "ExportRun"
   WHERE id > $1::uuid AND status = 'succeeded' AND manifest ? 'auditChainHeads'
   ORDER BY id LIMIT $2`;
export const NIL_UUID = "00000000-0000-0000-0000-000000000000";
