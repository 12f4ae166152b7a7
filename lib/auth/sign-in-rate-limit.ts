import "server-only";

import { env } from "@/lib/env";
import { hashedRateKey, takeRateLimits, type TRateLimit, visitorRateText } from "@/lib/rate-limit/take-rate-limits";

/** Sign-in emails one address can be sent in an hour. */
export const SIGN_IN_EMAILS_PER_HOUR = 5;
/** Sign-in requests from one visitor in an hour: a team behind one office address signs in well within it. */
export const SIGN_IN_REQUESTS_PER_IP_PER_HOUR = 20;

const PER_IP: TRateLimit = { keyPrefix: "admin-sign-in-ip", points: SIGN_IN_REQUESTS_PER_IP_PER_HOUR, duration: 60 * 60 };
const PER_ADDRESS: TRateLimit = { keyPrefix: "admin-sign-in", points: SIGN_IN_EMAILS_PER_HOUR, duration: 60 * 60 };

/**
 * Counts one sign-in request against the visitor's hourly budget, then against the address's;
 * false once either had its share. The same work for every address, an admin's or not, so the
 * answer's timing tells nothing.
 */
export const takeSignInRequest = async ({ email, ip }: { email: string; ip: string | null }) => {
  const secret = env().AUTH_SECRET ?? env().LINK_SECRET;
  // The address's key is the HMAC of the address alone, as it always was: its counters carry over.
  const allowance = await takeRateLimits([
    { name: "ip", limit: PER_IP, key: hashedRateKey({ secret, text: visitorRateText(ip) }) },
    { name: "address", limit: PER_ADDRESS, key: hashedRateKey({ secret, text: email }) },
  ]);
  return allowance.allowed;
};
