import "server-only";

import type pg from "pg";
import { RateLimiterPostgres } from "rate-limiter-flexible";

import { pgPool } from "@/lib/pg";

/**
 * The limiter's store: the process's pool, with its statements sent unnamed. rate-limiter-flexible
 * names them (`rate_limit:rlflx-upsert`, …), and a name prepared on one server connection is
 * missing or already taken on the next one PgBouncer hands out in transaction mode (lib/pg.ts).
 * The pool is looked up on every statement, so a limiter outlives closePgPool().
 */
const unnamedStore = { query: ({ text, values }: { text: string; values?: unknown[] }): Promise<pg.QueryResult> => pgPool().query(text, values) };

/**
 * A limiter whose counters live in PostgreSQL (table rate_limit, created by a migration), so every
 * web instance shares one budget. `keyPrefix` keeps each limiter's counters apart.
 */
export const postgresRateLimiter = ({ keyPrefix, points, duration }: { keyPrefix: string; points: number; duration: number }) =>
  new RateLimiterPostgres({ storeClient: unnamedStore, storeType: "pool", tableName: "rate_limit", tableCreated: true, keyPrefix, points, duration });
