import "server-only";

import { createHash } from "node:crypto";

import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";

import { env } from "@/lib/env";
import { pgPool } from "@/lib/pg";

const globalForLimiter = globalThis as unknown as { platformLimiter?: RateLimiterPostgres };

// Counters live in PostgreSQL (table rate_limit, created by a migration), so every web instance
// shares one budget per token.
const platformLimiter = () =>
  (globalForLimiter.platformLimiter ??= new RateLimiterPostgres({
    storeClient: pgPool(),
    tableName: "rate_limit",
    tableCreated: true,
    keyPrefix: "platform",
    points: env().PLATFORM_API_RATE_PER_MINUTE,
    duration: 60,
  }));

/** Counts one request against the token's budget; returns the seconds to wait when it is spent. */
export const takeRateLimit = async (token: string): Promise<number | null> => {
  // The key is a hash: the token itself never reaches the database.
  const key = createHash("sha256").update(token).digest("base64url").slice(0, 32);
  try {
    await platformLimiter().consume(key);
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw rejection;
  }
};
