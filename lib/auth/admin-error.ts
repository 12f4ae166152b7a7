import { hasRole, type TAdminActor, type TAdminRole } from "@/lib/auth/roles";

export type TAdminErrorCode = "unauthenticated" | "forbidden" | "not_found" | "conflict" | "invalid";

/** What a `lib/` function acting for an admin throws; routes and actions map the code to a status. */
export class AdminError extends Error {
  readonly code: TAdminErrorCode;

  constructor(code: TAdminErrorCode, message: string) {
    super(message);
    this.name = "AdminError";
    this.code = code;
  }
}

export const ADMIN_ERROR_STATUS: Record<TAdminErrorCode, number> = { unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409, invalid: 422 };

/** Every `lib/` function that acts for an admin starts here: the role is checked on the server, whatever the page showed. */
export const assertRole = (actor: TAdminActor, needed: TAdminRole) => {
  if (!hasRole(actor, needed)) throw new AdminError("forbidden", `This needs the ${needed} role; you are a ${actor.role}.`);
};
