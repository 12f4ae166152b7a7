import "server-only";

import { createHash, timingSafeEqual } from "node:crypto";

import { takeRateLimit } from "@/lib/api/rate-limit";
import { isUnstorableTextError } from "@/lib/api/unstorable-text";
import { env } from "@/lib/env";
import { AppError, isAppError } from "@/lib/errors/app-error";
import { appErrorResponse } from "@/lib/errors/app-error-response";
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

/** Whether this call may run: the API is configured (503), the token is right (401) and within its rate (429). */
const admit = async ({ request, tokenName }: { request: Request; tokenName: TTokenName }) => {
  const expected = env()[tokenName];
  if (!expected) throw new AppError("not_configured", { message: `This API is off: set ${tokenName} on the server.` });
  if (!isBearerToken({ request, expected })) {
    throw new AppError("unauthorized", { message: `Send the token as: Authorization: Bearer <${tokenName}>.`, headers: { "WWW-Authenticate": "Bearer" } });
  }
  const retryAfter = await takeRateLimit(expected);
  if (retryAfter !== null) {
    throw new AppError("rate_limited", {
      message: `Too many requests for this token: at most ${env().PLATFORM_API_RATE_PER_MINUTE} a minute. Retry in ${retryAfter} s.`,
      headers: { "Retry-After": String(retryAfter) },
    });
  }
};

/**
 * What a failure answers. An AppError is the caller's to act on, by the table. A text value
 * PostgreSQL refuses (NUL) is the caller's to fix too: 422, so the caller does not retry it for
 * ever. Anything else is ours: logged, and a 503 the caller can retry, never a 500 with a stack trace.
 */
const asAppError = ({ error, request }: { error: unknown; request: Request }): AppError => {
  if (isAppError(error)) return error;
  if (isUnstorableTextError(error)) {
    return new AppError("invalid_characters", {
      message: "A text value holds a character that cannot be stored (such as NUL or another control character): remove it and send the request again. Nothing was written.",
    });
  }
  logger().error({ event: "api_failed", method: request.method, path: new URL(request.url).pathname, error }, "API request failed");
  return new AppError("unavailable", { message: "The service could not complete the request. Retry in a few seconds.", headers: { "Retry-After": "5" } });
};

/** Wraps an API handler: admits the call, runs it, and answers every failure through the one table. */
const bearerRoute =
  (tokenName: TTokenName) =>
  <TParams = object>(handler: (request: Request, context: TRouteContext<TParams>) => Promise<Response>) =>
  async (request: Request, context: TRouteContext<TParams>) => {
    try {
      await admit({ request, tokenName });
      return await handler(request, context);
    } catch (error) {
      return appErrorResponse(asAppError({ error, request }));
    }
  };

/** The platform's servers: member sync, campaigns, in-app notices, forwarded objections. */
export const platformRoute = bearerRoute("PLATFORM_API_TOKEN");

/** The training pipeline: exports and their acknowledgements. */
export const exportRoute = bearerRoute("EXPORT_API_TOKEN");

/** The monitoring system's scraper: GET /api/metrics. */
export const metricsRoute = bearerRoute("METRICS_TOKEN");
