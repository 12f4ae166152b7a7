"use server";

import { signIn } from "@/lib/auth/auth";
import { ADMIN_PATHS } from "@/lib/auth/admin-paths";
import { ZAdminSignIn } from "@/lib/auth/schema";

export type TSignInState = { error?: string; email?: string };

export const requestSignInLink = async (_previous: TSignInState, formData: FormData): Promise<TSignInState> => {
  const email = String(formData.get("email") ?? "");
  const parsed = ZAdminSignIn.safeParse({ email: email.trim() });
  if (!parsed.success) return { error: parsed.error.issues[0]?.message, email };
  // Redirects to "check your inbox" whether or not an email goes out.
  await signIn("nodemailer", { email: parsed.data.email, redirectTo: ADMIN_PATHS.home });
  return {};
};
