import type { Metadata } from "next";

import { AuthCard, AuthCardSignInLink } from "@/components/admin/auth-card";

export const metadata: Metadata = { title: "Sign-in did not work" };

// Auth.js names what failed in `error`: "Verification" is an emailed link used, expired or unknown;
// anything else here is a single sign-on that did not complete (a stale or altered answer from the
// provider, or the provider refusing the code).
const SignInErrorPage = async ({ searchParams }: { searchParams: Promise<{ error?: string | string[] }> }) => {
  const { error } = await searchParams;
  if (error === "Verification") {
    return (
      <AuthCard title="This sign-in link does not work">
        <p className="text-sm text-slate-700">A link works once and expires after a few minutes. Ask for a new one.</p>
        <AuthCardSignInLink>Get a new sign-in link</AuthCardSignInLink>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Sign-in did not work">
      <p className="text-sm text-slate-700">
        The sign-in did not complete: it may have taken too long, or been started in another tab. Start again; if it keeps failing, ask whoever runs your company&apos;s sign-in.
      </p>
      <AuthCardSignInLink>Back to sign-in</AuthCardSignInLink>
    </AuthCard>
  );
};

export default SignInErrorPage;
