import "server-only";

import { RateLimiterPostgres } from "rate-limiter-flexible";

import { pgPool } from "@/lib/pg";

/**
 * A limiter whose counters live in PostgreSQL (table rate_limit, created by a migration), so every
 * web instance shares one budget. `keyPrefix` keeps each limiter's counters apart.
 */
export const postgresRateLimiter = ({ keyPrefix, points, duration }: { keyPrefix: string; points: number; duration: number }) =>
  new RateLimiterPostgres({ storeClient: pgPool(), tableName: "rate_limit", tableCreated: true, keyPrefix, points, duration });
