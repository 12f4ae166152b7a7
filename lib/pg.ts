import "server-only";

import { setTimeout as sleep } from "node:timers/promises";

import pg from "pg";

import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";

const globalForPg = globalThis as unknown as { pgPool?: pg.Pool; directPgPool?: pg.Pool; answeredAt?: number };

/*
 * Data access has one rule:
 * - Prisma (lib/db.ts) for single-row reads and commands: find, create, update one thing, check
 *   and change it in an interactive transaction.
 * - This pool for set-based work: claims (FOR UPDATE SKIP LOCKED), bulk upserts, aggregates,
 *   COPY, cursors, and a hot path that must be one statement. Each statement lives with its row
 *   type in its capability's `*-sql.ts` (lib/objections/objection-sql.ts, …), not inline.
 * - No `$queryRawUnsafe`/`$executeRawUnsafe` (an ESLint rule refuses them); the one exception is
 *   the transaction executor below, which only binds values it is handed apart from the text.
 * - One transaction executor that both styles run through: `TTx` and `sqlOn(tx)` in
 *   lib/pg-tx.ts take a Prisma `tx` or a `pg` client alike, so there is one audit recorder
 *   (recordAuditEvent) and one job enqueuer (enqueueJob), each writing on the caller's transaction.
 *
 * PgBouncer: DATABASE_URL may name a pooler in transaction mode (PgBouncer 1.18 with its defaults),
 * which gives each transaction, or each statement outside one, whichever server connection is
 * free. So nothing here relies on a session: no startup `options` (PgBouncer refuses them), no
 * named prepared statements (a name prepared on one server connection is missing or taken on the
 * next; see "Statements" below), no session settings, locks or temporary tables, no LISTEN; a
 * setting a transaction needs is `SET LOCAL`. Work that needs a session of its own (an export
 * run's advisory lock and temporary tables, the member import's staging table and COPY) takes a
 * connection from directPgPool(), to DIRECT_DATABASE_URL: PostgreSQL itself.
 *
 * Statements are sent unnamed (`pgPool().query(text, values)`, or `{ text, values }` without a
 * `name`): PostgreSQL then plans each with its values (an unnamed statement gets a custom plan), as
 * `plan_cache_mode = force_custom_plan` once made it plan the named ones, so a plan made while a
 * table was small never keeps scanning it once it has grown. scripts/bench/pgbouncer.ts measures
 * what the extra parse costs the submit path.
 *
 * The connection budget: each process (web instance, worker, script) opens at most
 * DATABASE_POOL_SIZE connections to DATABASE_URL, all from this one pool. Prisma's adapter
 * (lib/db.ts), the raw SQL of bulk and hot paths, and pg-boss (lib/jobs.ts) all borrow from it, so
 * the figure a PgBouncer or max_connections is sized with is exactly what a process can take. A
 * process that runs an export or a member import (a worker, a script; never a web instance) opens
 * at most DIRECT_POOL_SIZE more to DIRECT_DATABASE_URL, and closes them once idle for 10 s. With
 * DATABASE_READ_URL set, reads that may lag open at most READ_POOL_SIZE to the replica
 * (lib/read-replica/read-pool.ts).
 *
 * Sharing has one rule: code that holds a connection (a transaction, a cursor, a session lock)
 * runs its statements on that connection, never on a second one from the pool (Prisma's `tx`,
 * or a TTx handed to recordAuditEvent and enqueueJob). Holders that each wait for a second
 * connection could otherwise take the whole pool and wait for each other forever. Start pg-boss
 * (`jobs()`) before opening such a transaction. The export run is the one exception: it records
 * its manifest through this pool while it still holds its session on the direct one.
 */
/*
 * A connection the server closes (a restart, a terminated backend) makes its client emit "error",
 * and an "error" nobody listens to ends the process. Idle in the pool, the client is dropped, the
 * pool emits the error (logged here) and a new connection replaces it on next use. Handed out (a
 * transaction, the audit chainer's batch, an export's session), a client had no listener: the
 * worker died of a restart mid-transaction (faults/postgres-restart.test.ts). Every client now
 * keeps one from its connect; the statement in flight, or the holder's next, fails with the
 * error instead, and the pool discards the client once it is released.
 */
const ignoreClientError = () => undefined;
export const keepConnectionErrors = (pool: pg.Pool, what: string) =>
  pool.on("connect", (client) => client.on("error", ignoreClientError)).on("error", (error) => console.error(`[db] ${what}: ${error.message}`));

/*
 * How long a statement waits for a connection: a free one of the pool, or a new one logged in. A
 * PgBouncer whose server is down holds a login for its client_login_timeout (60 s by default)
 * before it refuses it: without a bound, a request would wait that long for its 503 and a
 * starting worker to say that it waits. A pool that stays busy this long is itself an outage.
 */
export const CONNECT_TIMEOUT_MS = 5_000;

const createPool = () => {
  const pool = new pg.Pool({
    connectionString: env().DATABASE_URL,
    max: env().DATABASE_POOL_SIZE,
    application_name: "objection",
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // A connection handed back whole (no error) means the database answered on it just now.
  pool.on("release", (error?: Error) => {
    if (!error) globalForPg.answeredAt = Date.now();
  });
  return keepConnectionErrors(pool, "idle connection lost");
};

/** When a statement on the process's pool last came back from the database (0: none yet). */
export const lastAnsweredAt = () => globalForPg.answeredAt ?? 0;

/** The most connections a process opens to DIRECT_DATABASE_URL: an export run takes one, the member import two. */
export const DIRECT_POOL_SIZE = 2;

// Export runs put their big intermediate sets in temporary tables (the member import's staging
// table holds one part at a time); a session allocates temp buffers as it uses them, so the
// larger limit costs nothing until then. It can only be set before a session's first temporary
// table, hence at its start, which only PostgreSQL itself accepts: PgBouncer refuses `options`.
const createDirectPool = () => {
  const pool = new pg.Pool({
    connectionString: env().DIRECT_DATABASE_URL ?? env().DATABASE_URL,
    max: DIRECT_POOL_SIZE,
    application_name: "objection-direct",
    options: "-c temp_buffers=64MB",
  });
  return keepConnectionErrors(pool, "idle direct connection lost");
};

// SQLSTATE class 08 (connection exception) and 57P01-57P03 (the server shutting down, crashed, or
// still starting), and the client's own errors for a socket that was refused or closed.
const UNREACHABLE_CODES = new Set(["57P01", "57P02", "57P03", "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT"]);

/** True for an error that says the database could not be reached or dropped the connection: an outage, not a fault in the statement. */
export const isDatabaseUnreachable = (error: unknown) => {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (UNREACHABLE_CODES.has(code) || code.startsWith("08"))) return true;
  // pg-pool's own words when CONNECT_TIMEOUT_MS passes: no connection could be had in time.
  return /^Connection terminated|not queryable|^timeout exceeded when trying to connect/.test(error.message);
};

/**
 * A statement on the process's pool, sent again while the database cannot be reached (refused, a
 * connection lost, a failover under way: PgBouncer answers "server login has been failing" until
 * it is pointed at the new primary), 0.25 s doubling up to 1 s apart, for up to a minute. Only for
 * statements that are safe to send twice (the first may have committed before its connection was
 * lost), in a worker that would rather wait the outage out than fail work already done; never on
 * a web request, which answers 503 at once.
 */
export const queryWhileUnreachable = async <T extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
  const firstSentAt = Date.now();
  for (let delayMs = 250; ; delayMs = Math.min(delayMs * 2, 1_000)) {
    try {
      return await pgPool().query<T>(text, values);
    } catch (error) {
      if (!isDatabaseUnreachable(error) || Date.now() - firstSentAt > 60_000) throw error;
      await sleep(delayMs);
    }
  }
};

/** The process's one pool of at most DATABASE_POOL_SIZE connections, shared by Prisma, raw SQL and pg-boss. */
export const pgPool = (): pg.Pool => (globalForPg.pgPool ??= createPool());

/**
 * Sessions on PostgreSQL itself (DIRECT_DATABASE_URL), for work that needs one: a session lock,
 * temporary tables kept across transactions, COPY into them. At most DIRECT_POOL_SIZE connections;
 * opened on first use, so web instances never open it.
 */
export const directPgPool = (): pg.Pool => (globalForPg.directPgPool ??= createDirectPool());

/**
 * A session from directPgPool(). A pooler refuses the session's startup settings: when
 * DIRECT_DATABASE_URL is unset and DATABASE_URL names PgBouncer, say which variable to set.
 */
export const connectDirect = async () => {
  try {
    return await directPgPool().connect();
  } catch (error) {
    if (error instanceof Error && /unsupported startup parameter/.test(error.message)) {
      throw new AppError("not_configured", {
        message: `${env().DIRECT_DATABASE_URL ? "DIRECT_DATABASE_URL" : "DATABASE_URL (DIRECT_DATABASE_URL is unset)"} names a pooler, which refused a session (${error.message}): set DIRECT_DATABASE_URL to PostgreSQL itself.`,
      });
    }
    throw error;
  }
};

/** Runs `work` in one transaction on one connection; rolls back if it throws. */
export const inTransaction = async <T>(work: (client: pg.PoolClient) => Promise<T>, { isolation }: { isolation?: "REPEATABLE READ" | "SERIALIZABLE" } = {}) => {
  const client = await pgPool().connect();
  try {
    await client.query(isolation ? `BEGIN ISOLATION LEVEL ${isolation}` : "BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
};

/** Closes the process's connections (Prisma's and pg-boss's included: stop pg-boss first, and the direct ones); the next use opens new pools. */
export const closePgPool = async () => {
  const { pgPool: pool, directPgPool: direct } = globalForPg;
  globalForPg.pgPool = undefined;
  globalForPg.directPgPool = undefined;
  await Promise.all([pool?.end(), direct?.end()]);
};
