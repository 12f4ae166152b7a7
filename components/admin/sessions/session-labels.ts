import type { AdminSignInMethod } from "@/lib/generated/prisma/enums";

/** How a session began, in the console's words. */
export const SIGN_IN_METHOD_LABELS: Record<AdminSignInMethod, string> = {
  email: "Email link",
  sso: "Single sign-on",
  break_glass: "Break-glass email link",
};
