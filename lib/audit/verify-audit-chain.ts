import type { KeyObject } from "node:crypto";

import type pg from "pg";

import { CHAIN_TABLES, chainHash, GENESIS_HASH, type TChainTable } from "@/lib/audit/audit-chain-hash";
import { CHAIN_HEADS_SQL, chainPageSql, type TChainHeadRow } from "@/lib/audit/audit-chain-sql";
import { verifyChainAnchors } from "@/lib/audit/verify-chain-anchors";
import { type TUnchainedRows, verifyUnchainedRows } from "@/lib/audit/verify-unchained-rows";

// No `server-only`: `npm run audit:verify` and tests call it with a pool of their own.

/** Rows read per page; the next page is read while this one is hashed. */
export const VERIFY_PAGE_SIZE = 5_000;

/** `unchained`: about a row the chain does not cover yet (verifyUnchainedRows), not the chain itself. */
export type TChainProblem = { table: TChainTable | "ExportRun"; id: string | null; seq: string | null; message: string; unchained?: boolean };
export type TChainProgress = { table: TChainTable; checked: number; total: number };
export type TAuditChainVerdict = { ok: boolean; checked: Record<TChainTable, number>; unchained: Record<TChainTable, TUnchainedRows>; anchors: number; problems: TChainProblem[] };

type TRow = Record<string, unknown> & { id: string; chainSeq: string; prevHash: Buffer; hash: Buffer };

const rowName = (table: TChainTable, row: TRow) => `${table} id ${row.id} (chainSeq ${row.chainSeq})`;

/**
 * One chain, in chainSeq order, streamed in keyset pages: every seq from 1 without a gap, each
 * row's prevHash the hash before it, each hash sha256(prevHash || content) of what the row holds
 * now. Stops at the first row that fails, and names it. Then the head read at the start: the
 * chain must reach it with the same hash (rows deleted from the end leave the head beyond it).
 */
const verifyChain = async ({ pool, table, head, onProgress }: { pool: pg.Pool; table: TChainTable; head: TChainHeadRow; onProgress?: (progress: TChainProgress) => void }) => {
  const total = Number(head.seq);
  let expected = 1n;
  let prev: Buffer = GENESIS_HASH;
  let checked = 0;
  const problem = (row: TRow | null, seq: string | null, message: string) => ({ checked, problem: { table, id: row?.id ?? null, seq, message } satisfies TChainProblem });
  const readPage = (after: string): Promise<{ rows: TRow[] }> => pool.query<TRow>(chainPageSql(table), [after, VERIFY_PAGE_SIZE]);
  let page = readPage("0");
  for (;;) {
    const { rows } = await page;
    if (rows.length === 0) break;
    const last = rows[rows.length - 1]!;
    // Read ahead: the database finds the next page while this one is hashed.
    const next = rows.length === VERIFY_PAGE_SIZE ? readPage(last.chainSeq) : Promise.resolve({ rows: [] as TRow[] });
    next.catch(() => undefined);
    for (const row of rows) {
      if (BigInt(row.chainSeq) !== expected) {
        return problem(row, expected.toString(), `${table} chainSeq ${expected} is missing (the next row is ${rowName(table, row)}): a row was deleted or renumbered`);
      }
      if (!row.prevHash.equals(prev)) return problem(row, row.chainSeq, `${rowName(table, row)}: its prevHash is not the hash of the row before it: rows were removed, moved or re-hashed`);
      if (!chainHash(prev, row).equals(row.hash)) return problem(row, row.chainSeq, `${rowName(table, row)}: its hash does not match its content: the row was changed`);
      if (row.chainSeq === head.seq && !row.hash.equals(head.hash)) return problem(row, row.chainSeq, `${rowName(table, row)}: its hash is not the one its chain head recorded: the chain was re-hashed`);
      prev = row.hash;
      expected += 1n;
      checked++;
    }
    onProgress?.({ table, checked, total: Math.max(total, checked) });
    page = next;
  }
  const lastSeq = expected - 1n;
  if (lastSeq < BigInt(head.seq)) return problem(null, (lastSeq + 1n).toString(), `${table}: the chain ends at chainSeq ${lastSeq} but its head says ${head.seq}: rows were deleted from its end`);
  return { checked, problem: null };
};

/**
 * The whole audit log: each chain (verifyChain), then the rows not chained yet
 * (verifyUnchainedRows: one left past the grace period means the chainer has not run, and is a
 * problem), then every anchor, the chain heads recorded in succeeded export runs' manifests
 * (verifyChainAnchors: with `publicKey`, each manifest's signature too). A superuser can change or delete rows with the triggers off, or even re-hash a
 * chain from a changed row on; the first is caught by the hashes, the second by the anchors.
 */
export const verifyAuditChain = async ({ pool, publicKey, onProgress }: { pool: pg.Pool; publicKey?: KeyObject; onProgress?: (progress: TChainProgress) => void }): Promise<TAuditChainVerdict> => {
  const heads = (await pool.query<TChainHeadRow>(CHAIN_HEADS_SQL)).rows;
  const checked = {} as Record<TChainTable, number>;
  const problems: TChainProblem[] = [];
  for (const table of CHAIN_TABLES) {
    const head = heads.find((row) => row.chain === table);
    if (!head) {
      problems.push({ table, id: null, seq: null, message: `${table}: its chain head row is missing from "AuditChainHead"` });
      checked[table] = 0;
      continue;
    }
    const result = await verifyChain({ pool, table, head, onProgress });
    checked[table] = result.checked;
    if (result.problem) problems.push(result.problem);
  }
  const unchained = await verifyUnchainedRows({ pool });
  problems.push(...unchained.problems);
  const anchors = await verifyChainAnchors({ pool, publicKey });
  problems.push(...anchors.problems);
  return { ok: problems.length === 0, checked, unchained: unchained.unchained, anchors: anchors.checked, problems };
};
