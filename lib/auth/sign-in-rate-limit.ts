import "server-only";

import { createHmac } from "node:crypto";

import { type RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";

import { env } from "@/lib/env";
import { visitorBucket } from "@/lib/http/visitor-bucket";
import { postgresRateLimiter } from "@/lib/rate-limit/postgres-rate-limiter";

/** Sign-in emails one address can be sent in an hour. */
export const SIGN_IN_EMAILS_PER_HOUR = 5;
/** Sign-in requests from one visitor in an hour: a team behind one office address signs in well within it. */
export const SIGN_IN_REQUESTS_PER_IP_PER_HOUR = 20;

const globalForLimiters = globalThis as unknown as { signInLimiters?: { perIp: RateLimiterPostgres; perAddress: RateLimiterPostgres } };

const limiters = () =>
  (globalForLimiters.signInLimiters ??= {
    perIp: postgresRateLimiter({ keyPrefix: "admin-sign-in-ip", points: SIGN_IN_REQUESTS_PER_IP_PER_HOUR, duration: 60 * 60 }),
    perAddress: postgresRateLimiter({ keyPrefix: "admin-sign-in", points: SIGN_IN_EMAILS_PER_HOUR, duration: 60 * 60 }),
  });

// Keyed by an HMAC: the counters table never holds an address, nor a visitor's IP.
const keyOf = (kind: string, value: string) =>
  createHmac("sha256", env().AUTH_SECRET ?? env().LINK_SECRET)
    .update(kind === "address" ? value : `${kind}:${value}`)
    .digest("base64url")
    .slice(0, 32);

const take = async (limiter: RateLimiterPostgres, key: string) => {
  try {
    await limiter.consume(key);
    return true;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return false;
    throw rejection;
  }
};

/**
 * Counts one sign-in request against the visitor's hourly budget, then against the address's;
 * false once either had its share. The same work for every address, an admin's or not, so the
 * answer's timing tells nothing.
 */
export const takeSignInRequest = async ({ email, ip }: { email: string; ip: string | null }) => {
  // A request whose address nobody can tell shares one budget: it cannot escape the limit.
  if (!(await take(limiters().perIp, keyOf("ip", visitorBucket(ip) ?? "unknown")))) return false;
  return take(limiters().perAddress, keyOf("address", email));
};
