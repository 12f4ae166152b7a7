import "server-only";

import { AppError } from "@/lib/errors/app-error";
import { currentAdmin, type TCurrentAdmin } from "@/lib/auth/current-admin";
import { apiError } from "@/lib/api/responses";
import { env } from "@/lib/env";

type TRouteContext<TParams> = { params: Promise<TParams> };

const SAFE_METHODS = new Set(["GET", "HEAD"]);

/**
 * A browser names the page a request comes from; a change requested from another site is refused
 * (the cookie is SameSite=Lax too). The console's rule; lib/http/is-foreign-origin.ts is the public forms'.
 */
const isFromAnotherOrigin = (request: Request) => {
  const origin = request.headers.get("origin");
  return !!origin && origin !== new URL(request.url).origin && origin !== new URL(env().APP_URL).origin;
};

/** A route handler under /admin: 401 without a session, 403 for a change from another site, and an AppError's code as its status. */
export const adminRoute =
  <TParams = object>(handler: (args: { request: Request; actor: TCurrentAdmin; params: TParams }) => Promise<Response>) =>
  async (request: Request, context: TRouteContext<TParams>) => {
    if (!SAFE_METHODS.has(request.method) && isFromAnotherOrigin(request)) return apiError({ status: 403, code: "forbidden", message: "Use the console itself: requests from other sites are refused." });
    const actor = await currentAdmin();
    if (!actor) return apiError({ status: 401, code: "unauthenticated", message: "Sign in at /admin/sign-in first." });
    try {
      return await handler({ request, actor, params: await context.params });
    } catch (error) {
      if (error instanceof AppError) return apiError({ status: error.status, code: error.code, message: error.message });
      throw error;
    }
  };
