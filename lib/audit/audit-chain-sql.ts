import type { TChainTable } from "@/lib/audit/audit-chain-hash";

// The hash chain's statements (docs/operations.md, "Tamper-evident audit log"). `table` is always
// one of CHAIN_TABLES, never input. No `server-only`: scripts and tests run them too.

/** The chain's head, locked for this transaction: one chainer at a time per chain, cluster-wide. None: another holds it. */
export const LOCK_CHAIN_HEAD_SQL = `SELECT seq::text AS seq, hash FROM "AuditChainHead" WHERE chain = $1 FOR UPDATE SKIP LOCKED`;

/** Every chain's head, unlocked. */
export const CHAIN_HEADS_SQL = `SELECT chain, seq::text AS seq, hash FROM "AuditChainHead" ORDER BY chain`;
export type TChainHeadRow = { chain: TChainTable; seq: string; hash: Buffer };

/** Whether each chain has rows waiting: one probe of the small queue table, so an idle poll costs one statement. */
export const UNCHAINED_WAITING_SQL = `
  SELECT EXISTS (SELECT 1 FROM "AuditChainPending" WHERE chain = 'AuditEvent') AS "AuditEvent",
         EXISTS (SELECT 1 FROM "AuditChainPending" WHERE chain = 'ObjectionEvent') AS "ObjectionEvent"`;

/** The next queued ids of a chain, oldest first. Values: chain, batch size. */
export const PENDING_IDS_SQL = `SELECT id::text AS id FROM "AuditChainPending" WHERE chain = $1 ORDER BY id LIMIT $2`;

/** The queued rows themselves, still unchained, in id order. Values: the queued ids. */
export const pendingRowsSql = (table: TChainTable) => `SELECT * FROM "${table}" WHERE id = ANY($1::bigint[]) AND "chainSeq" IS NULL ORDER BY id`;

/**
 * Chains a batch in one statement: the k-th id (from 1) gets seq head + k, as prevHash the k-th 32
 * bytes of the hashes and as hash the (k+1)-th (the hashes are the head's, then each row's, in one
 * bytea: no per-row text to write, send and decode), only if still unchained (the trigger allows
 * exactly this one update); the queued ids read leave the queue (exactly those: one queued since,
 * by a transaction that committed late, stays for the next batch; one whose row is gone, which only
 * a superuser can do, leaves too, so it never blocks the queue); the head moves on. Values: ids in
 * chain order, the head's seq, the hashes, the chain, the new head's seq and hash, the queued ids
 * read. Returns how many rows it chained.
 */
export const chainRowsSql = (table: TChainTable) => `
  WITH chained AS (
    UPDATE "${table}" t SET "chainSeq" = $2::bigint + v.k,
                            "prevHash" = substring($3::bytea FROM (v.k - 1)::int * 32 + 1 FOR 32),
                            hash = substring($3::bytea FROM v.k::int * 32 + 1 FOR 32)
      FROM unnest($1::bigint[]) WITH ORDINALITY AS v(id, k)
     WHERE t.id = v.id AND t."chainSeq" IS NULL
     RETURNING t.id
  ), dequeued AS (
    DELETE FROM "AuditChainPending" WHERE chain = $4 AND id = ANY($7::bigint[])
  ), head AS (
    UPDATE "AuditChainHead" SET seq = $5::bigint, hash = $6, "chainedAt" = now() WHERE chain = $4
  )
  SELECT count(*)::int AS chained FROM chained`;

/** A page of the chain in chainSeq order, after a seq (keyset, by the unique partial index). Values: after, page size. */
export const chainPageSql = (table: TChainTable) => `SELECT * FROM "${table}" WHERE "chainSeq" > $1::bigint ORDER BY "chainSeq" LIMIT $2`;

/** One chained row by its seq: the hash an export's manifest recorded. Values: seq. */
export const chainRowAtSql = (table: TChainTable) => `SELECT id::text AS id, hash FROM "${table}" WHERE "chainSeq" = $1::bigint`;

/**
 * The chainer's lag per chain, bounded reads of the queue: how many rows wait (counted up to $1)
 * and the age in seconds of the oldest by id (0 when none). Rows not yet chained are not yet
 * protected; an age past a few poll intervals means no chainer is running.
 */
export const CHAIN_LAG_SQL = `
  SELECT 'AuditEvent' AS chain,
         (SELECT count(*)::int FROM (SELECT 1 FROM "AuditChainPending" WHERE chain = 'AuditEvent' LIMIT $1) x) AS unchained,
         coalesce((SELECT extract(epoch FROM now() - e."createdAt")::float FROM "AuditChainPending" p JOIN "AuditEvent" e ON e.id = p.id
                    WHERE p.chain = 'AuditEvent' ORDER BY p.id LIMIT 1), 0) AS "oldestSeconds"
  UNION ALL
  SELECT 'ObjectionEvent',
         (SELECT count(*)::int FROM (SELECT 1 FROM "AuditChainPending" WHERE chain = 'ObjectionEvent' LIMIT $1) x),
         coalesce((SELECT extract(epoch FROM now() - e."createdAt")::float FROM "AuditChainPending" p JOIN "ObjectionEvent" e ON e.id = p.id
                    WHERE p.chain = 'ObjectionEvent' ORDER BY p.id LIMIT 1), 0)`;
export type TChainLagRow = { chain: TChainTable; unchained: number; oldestSeconds: number };

/**
 * A chain's rows not yet chained, for the verifier: read through the queue only, so the cost is the
 * chainer's lag, never the big table (which has no index of its unchained rows: see the migration
 * audit_hash_chain). How many are queued, the oldest queued row by "createdAt" (its id and age in
 * seconds), and the first queued id whose row is gone: deleted before it was chained. One
 * statement, one snapshot: the chainer dequeues and chains in one statement too. Values: the chain.
 */
export const unchainedRowsSql = (table: TChainTable) => `
  SELECT (SELECT count(*)::int FROM "AuditChainPending" WHERE chain = $1) AS count,
         oldest.id AS "oldestId", oldest.seconds AS "oldestSeconds",
         (SELECT p.id::text FROM "AuditChainPending" p
           WHERE p.chain = $1 AND NOT EXISTS (SELECT 1 FROM "${table}" t WHERE t.id = p.id) ORDER BY p.id LIMIT 1) AS "goneId"
    FROM (SELECT) one
    LEFT JOIN LATERAL (SELECT e.id::text AS id, extract(epoch FROM now() - e."createdAt")::float AS seconds
                         FROM "AuditChainPending" p JOIN "${table}" e ON e.id = p.id
                        WHERE p.chain = $1 AND e."chainSeq" IS NULL ORDER BY e."createdAt", e.id LIMIT 1) oldest ON true`;
export type TUnchainedRowsRow = { count: number; oldestId: string | null; oldestSeconds: number | null; goneId: string | null };

/** Succeeded export runs whose manifest records chain heads, after a run id (keyset by primary key). Values: after (NIL_UUID first), page size. */
export const ANCHORING_RUNS_SQL = `
  SELECT id::text AS id, manifest FROM "ExportRun"
   WHERE id > $1::uuid AND status = 'succeeded' AND manifest ? 'auditChainHeads'
   ORDER BY id LIMIT $2`;
export const NIL_UUID = "00000000-0000-0000-0000-000000000000";
