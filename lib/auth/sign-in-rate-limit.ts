import "server-only";

import { createHmac } from "node:crypto";

import { type RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";

import { env } from "@/lib/env";
import { postgresRateLimiter } from "@/lib/rate-limit/postgres-rate-limiter";

const globalForLimiter = globalThis as unknown as { signInLimiter?: RateLimiterPostgres };

export const SIGN_IN_EMAILS_PER_HOUR = 5;

const signInLimiter = () => (globalForLimiter.signInLimiter ??= postgresRateLimiter({ keyPrefix: "admin-sign-in", points: SIGN_IN_EMAILS_PER_HOUR, duration: 60 * 60 }));

/** Counts one sign-in email to the address; false once the address had its share this hour. */
export const takeSignInEmail = async (email: string) => {
  // Keyed by an HMAC: the counters table never holds an address.
  const key = createHmac("sha256", env().AUTH_SECRET ?? env().LINK_SECRET).update(email).digest("base64url").slice(0, 32);
  try {
    await signInLimiter().consume(key);
    return true;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return false;
    throw rejection;
  }
};
