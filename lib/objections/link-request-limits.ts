import "server-only";

import { createHmac } from "node:crypto";

import { type RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";

import { env } from "@/lib/env";
import { visitorBucket } from "@/lib/http/visitor-bucket";
import { tallyEvent } from "@/lib/metrics/event-tally";
import { postgresRateLimiter } from "@/lib/rate-limit/postgres-rate-limiter";

/** However many people ask, one address is sent at most this many /object emails a day. */
export const LINK_EMAILS_PER_ADDRESS_PER_DAY = 3;

const CEILING_PREFIX = "link-request-ceiling";
const CEILING_KEY = "all";
/** The ceiling's one row in rate_limit (rate-limiter-flexible keys rows `<prefix>:<key>`). */
export const LINK_REQUEST_CEILING_KEY = `${CEILING_PREFIX}:${CEILING_KEY}`;

type TLimiters = { perIp: RateLimiterPostgres; ceiling: RateLimiterPostgres; perAddress: RateLimiterPostgres };

const globalForLimiters = globalThis as unknown as { linkRequestLimiters?: TLimiters };

const limiters = () =>
  (globalForLimiters.linkRequestLimiters ??= {
    perIp: postgresRateLimiter({ keyPrefix: "link-request-ip", points: env().LINK_REQUESTS_PER_IP_PER_HOUR, duration: 60 * 60 }),
    ceiling: postgresRateLimiter({ keyPrefix: CEILING_PREFIX, points: env().LINK_REQUESTS_PER_HOUR, duration: 60 * 60 }),
    perAddress: postgresRateLimiter({ keyPrefix: "link-request-address", points: LINK_EMAILS_PER_ADDRESS_PER_DAY, duration: 24 * 60 * 60 }),
  });

// Keyed by an HMAC: the counters table never holds an address, nor a visitor's IP.
const keyOf = (kind: string, value: string) => createHmac("sha256", env().LINK_SECRET).update(`${kind}:${value}`).digest("base64url").slice(0, 32);

export type TLinkRequestAllowance = { allowed: true } | { allowed: false; retryAt: Date };

const take = async (limiter: RateLimiterPostgres, key: string): Promise<TLinkRequestAllowance> => {
  try {
    await limiter.consume(key);
    return { allowed: true };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return { allowed: false, retryAt: new Date(Date.now() + rejection.msBeforeNext) };
    throw rejection;
  }
};

/**
 * Counts one /object request against the sender's hourly budget, then against the hourly ceiling
 * over all visitors, then against the address's daily cap. In that order: a visitor over their own
 * budget spends none of the ceiling, and a request refused at the ceiling spends none of the
 * address's three emails. The same work for every address, known or not, so the timing tells nothing.
 */
export const takeLinkRequest = async ({ email, ip }: { email: string; ip: string | null }): Promise<TLinkRequestAllowance> => {
  // A request whose address nobody can tell shares one budget: it cannot escape the limit.
  const byIp = await take(limiters().perIp, keyOf("ip", visitorBucket(ip) ?? "unknown"));
  if (!byIp.allowed) return byIp;
  const underCeiling = await take(limiters().ceiling, CEILING_KEY);
  if (!underCeiling.allowed) {
    // Counted in memory and written at most once a second: at the ceiling, refusals come in floods.
    tallyEvent("link_request_refused_ceiling");
    return underCeiling;
  }
  return take(limiters().perAddress, keyOf("address", email));
};

export type TLinkRequestCeiling = { limit: number; requests: number; refused: number; resetsAt: Date };

/**
 * The hour's requests against the ceiling, when it is reached (null below it): one row read by its
 * key. `requests` counts the refused ones too (the limiter counts every attempt).
 */
export const readLinkRequestCeiling = async (): Promise<TLinkRequestCeiling | null> => {
  const limit = env().LINK_REQUESTS_PER_HOUR;
  const state = await limiters().ceiling.get(CEILING_KEY);
  if (!state || state.consumedPoints < limit) return null;
  return { limit, requests: state.consumedPoints, refused: state.consumedPoints - limit, resetsAt: new Date(Date.now() + state.msBeforeNext) };
};
