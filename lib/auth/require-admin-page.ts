import "server-only";

import { forbidden, redirect } from "next/navigation";

import { ADMIN_PATHS } from "@/lib/auth/admin-paths";
import { currentAdmin } from "@/lib/auth/current-admin";
import { hasRole, type TAdminRole } from "@/lib/auth/roles";

/** Every admin page starts here: no session → sign-in; too low a role → 403. */
export const requireAdminPage = async (needed: TAdminRole = "viewer") => {
  const admin = await currentAdmin();
  if (!admin) redirect(ADMIN_PATHS.signIn);
  if (!hasRole(admin, needed)) forbidden();
  return admin;
};
