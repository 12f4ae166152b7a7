import "server-only";

import { type RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";

import { postgresRateLimiter } from "@/lib/rate-limit/postgres-rate-limiter";

const globalForLimiters = globalThis as unknown as { domainLimiters?: Map<string, RateLimiterPostgres> };

// One limiter per domain (its points are the domain's rate), counting one-second windows in
// PostgreSQL: every worker takes from the same budget.
const domainLimiter = ({ domain, rate }: { domain: string; rate: number }) => {
  const limiters = (globalForLimiters.domainLimiters ??= new Map());
  const key = `${domain}=${rate}`;
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = postgresRateLimiter({ keyPrefix: "mail-domain", points: rate, duration: 1 });
    limiters.set(key, limiter);
  }
  return limiter;
};

export type TDomainBudget = {
  /** Emails of this domain that may be sent now: at most `wanted`. */
  granted: number;
  /** When the domain's budget is spent: milliseconds until its window starts again; 0 while some is left. */
  msBeforeNext: number;
};

/**
 * Takes up to `wanted` emails' worth of a domain's budget (`rate` a second, shared by every
 * worker), in one atomic increment. A consume the limiter refuses still counts its points, so
 * the caller sends what is granted and no more: when the window had `k < wanted` left, exactly
 * `k` is granted (this increment came after everything counted before it, and the window's count
 * stays over the rate until it ends, so no one else is granted anything in it).
 */
export const takeDomainBudget = async ({ domain, rate, wanted }: { domain: string; rate: number; wanted: number }): Promise<TDomainBudget> => {
  const points = Math.min(wanted, rate);
  if (points <= 0) return { granted: 0, msBeforeNext: 0 };
  try {
    const taken = await domainLimiter({ domain, rate }).consume(domain, points);
    return { granted: points, msBeforeNext: taken.remainingPoints > 0 ? 0 : taken.msBeforeNext };
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const leftBefore = rate - (rejection.consumedPoints - points);
    return { granted: Math.max(0, Math.min(points, leftBefore)), msBeforeNext: Math.max(1, rejection.msBeforeNext) };
  }
};
