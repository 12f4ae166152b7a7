import "server-only";

import { isBootstrapAdmin } from "@/lib/auth/bootstrap-admins";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { normaliseEmail } from "@/lib/members/normalise-email";

/**
 * Whether the address may sign in by emailed link: an admin whose access was removed stays out, even
 * if ADMIN_EMAILS still lists the address. With ADMIN_EMAIL_SIGN_IN=0 (single sign-on only), only
 * ADMIN_EMAILS' addresses may: the break-glass way in when the provider is down or misconfigured.
 */
export const mayHaveAccount = async (email: string) => {
  if (env().ADMIN_EMAIL_SIGN_IN === "0" && !isBootstrapAdmin(email)) return false;
  const user = await db().adminUser.findUnique({ where: { email: normaliseEmail(email) }, select: { disabledAt: true } });
  if (user) return !user.disabledAt;
  return isBootstrapAdmin(email);
};
