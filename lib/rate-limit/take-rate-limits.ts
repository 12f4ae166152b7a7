import "server-only";

import { createHmac } from "node:crypto";

import { type RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";

import { visitorBucket } from "@/lib/http/visitor-bucket";
import { postgresRateLimiter } from "@/lib/rate-limit/postgres-rate-limiter";

/** A budget: `points` requests per `duration` seconds for each key, its counters under `keyPrefix`. */
export type TRateLimit = { keyPrefix: string; points: number; duration: number };

/** One step of a request's limits: the budget, and the key it is counted under (a hashedRateKey). */
export type TRateLimitStep<TName extends string> = { name: TName; limit: TRateLimit; key: string };

export type TRateAllowance<TName extends string> = { allowed: true } | { allowed: false; retryAt: Date; refusedBy: TName };

// One limiter per prefix and process, made on first use: the environment is read then, so a test
// that sets a limit before the first request gets it.
const globalForLimiters = globalThis as unknown as { rateLimiters?: Map<string, RateLimiterPostgres> };

export const rateLimiter = (limit: TRateLimit) => {
  const limiters = (globalForLimiters.rateLimiters ??= new Map());
  const made = limiters.get(limit.keyPrefix) ?? postgresRateLimiter(limit);
  limiters.set(limit.keyPrefix, made);
  return made;
};

/** A counter's key: an HMAC of `text`, so the counters table never holds an address, nor a visitor's IP. */
export const hashedRateKey = ({ secret, text }: { secret: string; text: string }) => createHmac("sha256", secret).update(text).digest("base64url").slice(0, 32);

/** What a visitor's budget is keyed by: their address block; a request whose address nobody can tell shares one budget, so it cannot escape the limit. */
export const visitorRateText = (ip: string | null) => `ip:${visitorBucket(ip) ?? "unknown"}`;

/**
 * Counts one request against each step's budget in order, and stops at the first that has had its
 * share: a later budget is not spent on a request an earlier one refused. The same work whoever
 * asks, so the timing tells nothing.
 */
export const takeRateLimits = async <TName extends string>(steps: TRateLimitStep<TName>[]): Promise<TRateAllowance<TName>> => {
  for (const { name, limit, key } of steps) {
    try {
      await rateLimiter(limit).consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { allowed: false, retryAt: new Date(Date.now() + rejection.msBeforeNext), refusedBy: name };
      throw rejection;
    }
  }
  return { allowed: true };
};
