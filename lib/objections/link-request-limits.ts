import "server-only";

import { createHmac } from "node:crypto";

import { type RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";

import { env } from "@/lib/env";
import { visitorBucket } from "@/lib/http/visitor-bucket";
import { postgresRateLimiter } from "@/lib/rate-limit/postgres-rate-limiter";

/** However many people ask, one address is sent at most this many /object emails a day. */
export const LINK_EMAILS_PER_ADDRESS_PER_DAY = 3;

const globalForLimiters = globalThis as unknown as { linkRequestLimiters?: { perIp: RateLimiterPostgres; perAddress: RateLimiterPostgres } };

const limiters = () =>
  (globalForLimiters.linkRequestLimiters ??= {
    perIp: postgresRateLimiter({ keyPrefix: "link-request-ip", points: env().LINK_REQUESTS_PER_IP_PER_HOUR, duration: 60 * 60 }),
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
 * Counts one /object request against the sender's hourly budget, then against the address's
 * daily cap. The same work for every address, known or not, so the answer's timing tells nothing.
 */
export const takeLinkRequest = async ({ email, ip }: { email: string; ip: string | null }): Promise<TLinkRequestAllowance> => {
  // A request whose address nobody can tell shares one budget: it cannot escape the limit.
  const byIp = await take(limiters().perIp, keyOf("ip", visitorBucket(ip) ?? "unknown"));
  if (!byIp.allowed) return byIp;
  return take(limiters().perAddress, keyOf("address", email));
};
