import "server-only";

import { ADMIN_ERROR_STATUS, AdminError } from "@/lib/auth/admin-error";
import { currentAdmin, type TCurrentAdmin } from "@/lib/auth/current-admin";
import { apiError } from "@/lib/api/responses";

type TRouteContext<TParams> = { params: Promise<TParams> };

/** A route handler under /admin: 401 without a session, and an AdminError's code as its status. */
export const adminRoute =
  <TParams = object>(handler: (args: { request: Request; actor: TCurrentAdmin; params: TParams }) => Promise<Response>) =>
  async (request: Request, context: TRouteContext<TParams>) => {
    const actor = await currentAdmin();
    if (!actor) return apiError({ status: 401, code: "unauthenticated", message: "Sign in at /admin/sign-in first." });
    try {
      return await handler({ request, actor, params: await context.params });
    } catch (error) {
      if (error instanceof AdminError) return apiError({ status: ADMIN_ERROR_STATUS[error.code], code: error.code, message: error.message });
      throw error;
    }
  };
