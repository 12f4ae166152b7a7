import type pg from "pg";

import { CHAIN_TABLES, type TChainTable } from "@/lib/audit/audit-chain-hash";
import { type TUnchainedRowsRow, unchainedRowsSql } from "@/lib/audit/audit-chain-sql";
import type { TChainProblem } from "@/lib/audit/verify-audit-chain";

// No `server-only`: `npm run audit:verify` and tests call it with a pool of their own.

/**
 * How long a row may wait to be chained before the verifier calls it a failure. The worker's
 * chainer takes new rows within one poll (2 s) and a batch; a row older than this means no chainer
 * has run for minutes, and until one does the row is not protected (docs/operations.md,
 * "Tamper-evident audit log").
 */
export const UNCHAINED_GRACE_SECONDS = 600;

export type TUnchainedRows = { count: number; oldest: { id: string; seconds: number } | null };

/** An age as an operator reads it: "40 s", "20 minutes", "2.0 hours". */
const describeAge = (seconds: number) => (seconds < 120 ? `${Math.floor(seconds)} s` : seconds < 7_200 ? `${Math.floor(seconds / 60)} minutes` : `${(seconds / 3_600).toFixed(1)} hours`);

const GRACE = describeAge(UNCHAINED_GRACE_SECONDS);

/** The verdict's problems for one chain's unchained rows: the oldest past the grace period, and a queued row that is gone. */
const problemsOf = (table: TChainTable, row: TUnchainedRowsRow): TChainProblem[] => [
  ...(row.oldestId !== null && row.oldestSeconds !== null && row.oldestSeconds > UNCHAINED_GRACE_SECONDS
    ? [
        {
          table,
          id: row.oldestId,
          seq: null,
          unchained: true,
          message: `${table} id ${row.oldestId} has waited ${describeAge(row.oldestSeconds)} to be chained, longer than the ${GRACE} allowed (${row.count.toLocaleString("en")} row(s) of ${table} unchained): the chainer has not run; is the worker running? Until it chains them, these rows are not protected`,
        },
      ]
    : []),
  ...(row.goneId !== null ? [{ table, id: row.goneId, seq: null, unchained: true, message: `${table} id ${row.goneId} was queued to be chained but is gone: it was deleted before it was chained` }] : []),
];

/**
 * Rows the chain does not cover yet, per chain, read through the chainer's queue
 * (unchainedRowsSql): how many, and the oldest. Rows younger than UNCHAINED_GRACE_SECONDS are the
 * chainer's normal lag; an older one, or a queued row that is gone, is a problem.
 */
export const verifyUnchainedRows = async ({ pool }: { pool: pg.Pool }) => {
  const unchained = {} as Record<TChainTable, TUnchainedRows>;
  const problems: TChainProblem[] = [];
  for (const table of CHAIN_TABLES) {
    const row = (await pool.query<TUnchainedRowsRow>(unchainedRowsSql(table), [table])).rows[0]!;
    unchained[table] = { count: row.count, oldest: row.oldestId === null || row.oldestSeconds === null ? null : { id: row.oldestId, seconds: row.oldestSeconds } };
    problems.push(...problemsOf(table, row));
  }
  return { unchained, problems };
};

/** The `ok` line of each chain whose unchained rows are no problem (a FAIL line names the others). */
export const unchainedOkLines = ({ unchained, problems }: { unchained: Record<TChainTable, TUnchainedRows>; problems: TChainProblem[] }) =>
  CHAIN_TABLES.filter((table) => !problems.some((problem) => problem.table === table && problem.unchained)).map((table) => {
    const rows = unchained[table];
    if (!rows.oldest) return `ok    ${table}: no row waiting to be chained`;
    return `ok    ${table}: ${rows.count.toLocaleString("en")} row${rows.count === 1 ? "" : "s"} waiting to be chained, the oldest ${describeAge(rows.oldest.seconds)} old (a failure after ${GRACE})`;
  });
