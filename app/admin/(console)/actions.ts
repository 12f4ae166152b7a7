"use server";

import { signOut } from "@/lib/auth/auth";
import { ADMIN_PATHS } from "@/lib/auth/admin-paths";

export const signOutAdmin = async () => {
  await signOut({ redirectTo: ADMIN_PATHS.signIn });
};
