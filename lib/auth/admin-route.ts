import "server-only";

import { AppError, isAppError } from "@/lib/errors/app-error";
import { appErrorResponse } from "@/lib/errors/app-error-response";
import { currentAdmin, type TCurrentAdmin } from "@/lib/auth/current-admin";
import { env } from "@/lib/env";
import { markConsoleChange } from "@/lib/read-replica/console-change";

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

/** Who may call: a change from another site is refused before the session is even read. */
const admittedAdmin = async (request: Request): Promise<TCurrentAdmin> => {
  if (!SAFE_METHODS.has(request.method) && isFromAnotherOrigin(request)) throw new AppError("forbidden", { message: "Use the console itself: requests from other sites are refused." });
  const actor = await currentAdmin();
  if (!actor) throw new AppError("unauthenticated", { message: "Sign in at /admin/sign-in first." });
  return actor;
};

/**
 * A route handler under /admin: 401 without a session, 403 for a change from another site, and
 * any AppError answered by the table. Anything else is a fault of ours and stays Next's 500. A
 * request that may change something (not GET or HEAD) sends the admin's next pages to the primary.
 */
export const adminRoute =
  <TParams = object>(handler: (args: { request: Request; actor: TCurrentAdmin; params: TParams }) => Promise<Response>) =>
  async (request: Request, context: TRouteContext<TParams>) => {
    try {
      const actor = await admittedAdmin(request);
      if (!SAFE_METHODS.has(request.method)) await markConsoleChange();
      return await handler({ request, actor, params: await context.params });
    } catch (error) {
      if (isAppError(error)) return appErrorResponse(error);
      throw error;
    }
  };
