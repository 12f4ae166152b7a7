import "server-only";

import { env } from "@/lib/env";
import { normaliseEmail } from "@/lib/members/normalise-email";

/** The addresses in ADMIN_EMAILS, normalised: they become `admin` on first sign-in. */
export const bootstrapAdmins = () =>
  new Set(
    (env().ADMIN_EMAILS ?? "")
      .split(",")
      .map((email) => email.trim())
      .filter(Boolean)
      .map(normaliseEmail),
  );

export const isBootstrapAdmin = (email: string) => bootstrapAdmins().has(normaliseEmail(email));
