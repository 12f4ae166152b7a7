import "server-only";

import { env } from "@/lib/env";
import { tallyEvent } from "@/lib/metrics/event-tally";
import { hashedRateKey, rateLimiter, takeRateLimits, type TRateAllowance, type TRateLimit, visitorRateText } from "@/lib/rate-limit/take-rate-limits";

/** However many people ask, one address is sent at most this many /object emails a day. */
export const LINK_EMAILS_PER_ADDRESS_PER_DAY = 3;

const CEILING_PREFIX = "link-request-ceiling";
const CEILING_KEY = "all";
/** The ceiling's one row in rate_limit (rate-limiter-flexible keys rows `<prefix>:<key>`). */
export const LINK_REQUEST_CEILING_KEY = `${CEILING_PREFIX}:${CEILING_KEY}`;

// Functions, not constants: the limits are read from the environment when first needed.
const perIp = (): TRateLimit => ({ keyPrefix: "link-request-ip", points: env().LINK_REQUESTS_PER_IP_PER_HOUR, duration: 60 * 60 });
const ceiling = (): TRateLimit => ({ keyPrefix: CEILING_PREFIX, points: env().LINK_REQUESTS_PER_HOUR, duration: 60 * 60 });
const PER_ADDRESS: TRateLimit = { keyPrefix: "link-request-address", points: LINK_EMAILS_PER_ADDRESS_PER_DAY, duration: 24 * 60 * 60 };

export type TLinkRequestAllowance = { allowed: true } | { allowed: false; retryAt: Date };

const keyOf = (text: string) => hashedRateKey({ secret: env().LINK_SECRET, text });

/**
 * Counts one /object request against the sender's hourly budget, then against the hourly ceiling
 * over all visitors, then against the address's daily cap. In that order: a visitor over their own
 * budget spends none of the ceiling, and a request refused at the ceiling spends none of the
 * address's three emails. The same work for every address, known or not, so the timing tells nothing.
 */
export const takeLinkRequest = async ({ email, ip }: { email: string; ip: string | null }): Promise<TLinkRequestAllowance> => {
  const allowance: TRateAllowance<"ip" | "ceiling" | "address"> = await takeRateLimits([
    { name: "ip", limit: perIp(), key: keyOf(visitorRateText(ip)) },
    { name: "ceiling", limit: ceiling(), key: CEILING_KEY },
    { name: "address", limit: PER_ADDRESS, key: keyOf(`address:${email}`) },
  ]);
  if (allowance.allowed) return allowance;
  // Counted in memory and written at most once a second: at the ceiling, refusals come in floods.
  if (allowance.refusedBy === "ceiling") tallyEvent("link_request_refused_ceiling");
  return { allowed: false, retryAt: allowance.retryAt };
};

export type TLinkRequestCeiling = { limit: number; requests: number; refused: number; resetsAt: Date };

/**
 * The hour's requests against the ceiling, when it is reached (null below it): one row read by its
 * key. `requests` counts the refused ones too (the limiter counts every attempt).
 */
export const readLinkRequestCeiling = async (): Promise<TLinkRequestCeiling | null> => {
  const limit = env().LINK_REQUESTS_PER_HOUR;
  const state = await rateLimiter(ceiling()).get(CEILING_KEY);
  if (!state || state.consumedPoints < limit) return null;
  return { limit, requests: state.consumedPoints, refused: state.consumedPoints - limit, resetsAt: new Date(Date.now() + state.msBeforeNext) };
};
