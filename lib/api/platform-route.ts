import "server-only";

import { createHash, timingSafeEqual } from "node:crypto";

import { takeRateLimit } from "@/lib/api/rate-limit";
import { apiError } from "@/lib/api/responses";
import { isUnstorableTextError } from "@/lib/api/unstorable-text";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Compares in constant time; hashing first hides the expected token's length too. */
export const isBearerToken = ({ request, expected }: { request: Request; expected: string }) => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  if (!match?.[1]) return false;
  return timingSafeEqual(digest(match[1]), digest(expected));
};

type TRouteContext<TParams> = { params: Promise<TParams> };

type TTokenName = "PLATFORM_API_TOKEN" | "EXPORT_API_TOKEN" | "METRICS_TOKEN";

/**
 * Wraps an API handler: checks the bearer token (401) and the token's rate limit (429), and turns
 * an unexpected failure into a 503 the caller can retry, never a 500 with a stack trace. A text
 * value PostgreSQL refuses (NUL) is the caller's to fix: 422, so the caller does not retry it for ever.
 */
const bearerRoute =
  (tokenName: TTokenName) =>
  <TParams = object>(handler: (request: Request, context: TRouteContext<TParams>) => Promise<Response>) =>
  async (request: Request, context: TRouteContext<TParams>) => {
    const expected = env()[tokenName];
    if (!expected) return apiError({ status: 503, code: "not_configured", message: `This API is off: set ${tokenName} on the server.` });
    if (!isBearerToken({ request, expected })) {
      return apiError({ status: 401, code: "unauthorized", message: `Send the token as: Authorization: Bearer <${tokenName}>.`, headers: { "WWW-Authenticate": "Bearer" } });
    }
    try {
      const retryAfter = await takeRateLimit(expected);
      if (retryAfter !== null) {
        return apiError({
          status: 429,
          code: "rate_limited",
          message: `Too many requests for this token: at most ${env().PLATFORM_API_RATE_PER_MINUTE} a minute. Retry in ${retryAfter} s.`,
          headers: { "Retry-After": String(retryAfter) },
        });
      }
      return await handler(request, context);
    } catch (error) {
      if (isUnstorableTextError(error)) {
        return apiError({
          status: 422,
          code: "invalid_characters",
          message: "A text value holds a character that cannot be stored (such as NUL or another control character): remove it and send the request again. Nothing was written.",
        });
      }
      logger().error({ event: "api_failed", method: request.method, path: new URL(request.url).pathname, error: error instanceof Error ? error.name : "unknown error" }, "API request failed");
      return apiError({ status: 503, code: "unavailable", message: "The service could not complete the request. Retry in a few seconds.", headers: { "Retry-After": "5" } });
    }
  };

/** The platform's servers: member sync, campaigns, in-app notices, forwarded objections. */
export const platformRoute = bearerRoute("PLATFORM_API_TOKEN");

/** The training pipeline: exports and their acknowledgements. */
export const exportRoute = bearerRoute("EXPORT_API_TOKEN");

/** The monitoring system's scraper: GET /api/metrics. */
export const metricsRoute = bearerRoute("METRICS_TOKEN");
