import "server-only";

/**
 * The connection a transaction holds, in either style of lib/pg.ts's rule: a Prisma interactive
 * transaction's `tx` (or the Prisma client itself, for a statement that is its own transaction),
 * or a `pg` client from `inTransaction` (or the pool, likewise). Code that must write with the
 * caller's work, such as the audit recorder and the job enqueuer, takes a TTx and runs its
 * statements through `sqlOn(tx)`, so they commit or roll back with that work whichever style
 * opened it.
 */
export type TTx = TPrismaTx | TPgTx;

type TPrismaTx = { $queryRawUnsafe: <T = unknown>(query: string, ...values: unknown[]) => Promise<T> };
type TPgTx = { query: (text: string, values: unknown[]) => Promise<{ rows: unknown[] }> };

/** Runs one statement, its values bound, on the connection; resolves to its rows. */
export type TSql = { query: <TRow = Record<string, unknown>>(text: string, values: unknown[]) => Promise<TRow[]> };

/**
 * The statement runner on a transaction's connection. The Prisma side is the one place the app
 * calls `$queryRawUnsafe`: it only ever receives a statement and its values apart (ours from a
 * `*-sql.ts`, or pg-boss's own), so every value is bound exactly as on the pg pool.
 */
export const sqlOn = (tx: TTx): TSql => {
  if ("$queryRawUnsafe" in tx) {
    // eslint-disable-next-line no-restricted-properties
    return { query: async <TRow>(text: string, values: unknown[]) => tx.$queryRawUnsafe<TRow[]>(text, ...values) };
  }
  return { query: async <TRow>(text: string, values: unknown[]) => (await tx.query(text, values)).rows as TRow[] };
};
