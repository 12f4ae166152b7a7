"use server";

import { redirect } from "next/navigation";

import { signIn } from "@/lib/auth/auth";
import { ADMIN_PATHS, pageAfterLinkRequest } from "@/lib/auth/admin-paths";
import { ZAdminSignIn } from "@/lib/auth/schema";
import { SSO_PROVIDER_ID } from "@/lib/auth/sso-provider";

export type TSignInState = { error?: string; email?: string };

export const requestSignInLink = async (_previous: TSignInState, formData: FormData): Promise<TSignInState> => {
  const email = String(formData.get("email") ?? "");
  const parsed = ZAdminSignIn.safeParse({ email: email.trim() });
  if (!parsed.success) return { error: parsed.error.issues[0]?.message, email };
  // "Check your inbox" whether or not an email goes out, at the same address: Auth.js's own
  // verify-request address would show in the browser for one answer and not the other.
  const answer = await signIn("nodemailer", { email: parsed.data.email, redirectTo: ADMIN_PATHS.home, redirect: false });
  redirect(pageAfterLinkRequest(answer));
};

/** Single sign-on: Auth.js sends the browser to the company's provider, with PKCE, state and nonce. */
export const signInWithSso = async () => {
  await signIn(SSO_PROVIDER_ID, { redirectTo: ADMIN_PATHS.home });
};
