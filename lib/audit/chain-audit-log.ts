import type pg from "pg";

import { CHAIN_TABLES, chainHash, type TChainTable } from "@/lib/audit/audit-chain-hash";
import { chainRowsSql, LOCK_CHAIN_HEAD_SQL, PENDING_IDS_SQL, pendingRowsSql, UNCHAINED_WAITING_SQL } from "@/lib/audit/audit-chain-sql";

// No `server-only`: tests and the bench's chainer process call it with a pool of their own; the
// worker (lib/audit/start-audit-chainer.ts) with the process's one pool.

/** Rows chained per transaction: a batch is four reads and one statement that chains, dequeues and moves the head. */
export const CHAIN_BATCH_SIZE = 5_000;

/** How long the worker's chainer waits when nothing was left to chain: the usual window in which a new audit row is not yet chained. */
export const AUDIT_CHAIN_POLL_MS = 2_000;

type TChainBatch = { pool: pg.Pool; table: TChainTable; batchSize?: number };

/**
 * Chains the next batch of one table's unchained rows, in one transaction: under the chain head's
 * row lock (SKIP LOCKED: a second chainer anywhere in the cluster skips, and chains nothing), the
 * rows queued in "AuditChainPending" (by the insert trigger), oldest id first, each get the next
 * chainSeq, the previous hash and their own, and leave the queue. A row whose transaction commits
 * later than a row with a higher id is simply chained later, by a later seq: the chain's order is
 * chainSeq, not id, so no insert can fall between two chained rows.
 * Resolves to how many rows it chained (0: none waiting, or another chainer busy).
 */
export const chainAuditBatch = async ({ pool, table, batchSize = CHAIN_BATCH_SIZE }: TChainBatch) => {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    const head = (await client.query<{ seq: string; hash: Buffer }>(LOCK_CHAIN_HEAD_SQL, [table])).rows[0];
    const queued = head ? (await client.query<{ id: string }>(PENDING_IDS_SQL, [table, batchSize])).rows.map((row) => row.id) : [];
    if (!head || queued.length === 0) {
      await client.query("ROLLBACK");
      return 0;
    }
    const { rows } = await client.query<Record<string, unknown> & { id: string }>(pendingRowsSql(table), [queued]);
    // The head's hash, then each row's: the k-th row's prevHash is the k-th of them, its hash the next.
    const hashes: Buffer[] = [head.hash];
    const ids: string[] = [];
    let prev: Buffer = head.hash;
    for (const row of rows) {
      prev = chainHash(prev, row);
      hashes.push(prev);
      ids.push(row.id);
    }
    const lastSeq = (BigInt(head.seq) + BigInt(rows.length)).toString();
    const chained = (await client.query<{ chained: number }>(chainRowsSql(table), [ids, head.seq, Buffer.concat(hashes), table, lastSeq, prev, queued])).rows[0]!.chained;
    // The head's lock admits no other chainer, so every row read is still unchained; anything else is a bug, and nothing is kept.
    if (chained !== rows.length) throw new Error(`${table}: chained ${chained} of ${rows.length} rows read; nothing kept`);
    await client.query("COMMIT");
    return rows.length;
  } catch (error) {
    broken = true;
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release(broken);
  }
};

/** One round: a batch of each chain that has rows waiting (an idle round is one statement). Resolves to the rows chained, per table. */
export const chainAuditLogs = async ({ pool, batchSize }: { pool: pg.Pool; batchSize?: number }) => {
  const waiting = (await pool.query<Record<TChainTable, boolean>>(UNCHAINED_WAITING_SQL)).rows[0]!;
  const chained = {} as Record<TChainTable, number>;
  for (const table of CHAIN_TABLES) chained[table] = waiting[table] ? await chainAuditBatch({ pool, table, batchSize }) : 0;
  return chained;
};
