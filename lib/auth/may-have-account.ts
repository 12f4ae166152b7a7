import "server-only";

import { isBootstrapAdmin } from "@/lib/auth/bootstrap-admins";
import { db } from "@/lib/db";
import { normaliseEmail } from "@/lib/members/normalise-email";

/** Whether the address may sign in: an admin whose access was removed stays out, even if ADMIN_EMAILS still lists the address. */
export const mayHaveAccount = async (email: string) => {
  const user = await db().adminUser.findUnique({ where: { email: normaliseEmail(email) }, select: { disabledAt: true } });
  if (user) return !user.disabledAt;
  return isBootstrapAdmin(email);
};
