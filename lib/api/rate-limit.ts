import "server-only";

import { createHash } from "node:crypto";

import { type RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";

import { env } from "@/lib/env";
import { postgresRateLimiter } from "@/lib/rate-limit/postgres-rate-limiter";

const globalForLimiter = globalThis as unknown as { platformLimiter?: RateLimiterPostgres };

// One budget per token, shared by every web instance.
const platformLimiter = () => (globalForLimiter.platformLimiter ??= postgresRateLimiter({ keyPrefix: "platform", points: env().PLATFORM_API_RATE_PER_MINUTE, duration: 60 }));

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
