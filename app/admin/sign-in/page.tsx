import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";

import { AuthCard } from "@/components/admin/auth-card";
import { signInWithSso } from "@/app/admin/sign-in/actions";
import { SignInForm } from "@/app/admin/sign-in/_components/sign-in-form";
import { SsoButton } from "@/app/admin/sign-in/_components/sso-button";
import { Alert } from "@/components/ui/alert";
import { ADMIN_PATHS } from "@/lib/auth/admin-paths";
import { currentAdmin } from "@/lib/auth/current-admin";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };

const SignInPage = async () => {
  if (!env().AUTH_SECRET) {
    return (
      <AuthCard title="Sign-in is not set up">
        <Alert tone="warning">Set AUTH_SECRET (32 characters or more) and ADMIN_EMAILS on the server, then restart it. See docs/operations.md, &ldquo;Environment&rdquo;.</Alert>
      </AuthCard>
    );
  }
  if (await currentAdmin()) redirect(ADMIN_PATHS.home);
  const { ADMIN_OIDC_ISSUER, ADMIN_OIDC_NAME, ADMIN_EMAIL_SIGN_IN } = env();
  const emailLink = ADMIN_EMAIL_SIGN_IN === "1";
  return (
    <AuthCard title="Sign in">
      {ADMIN_OIDC_ISSUER ? <SsoButton name={ADMIN_OIDC_NAME} action={signInWithSso} /> : null}
      {ADMIN_OIDC_ISSUER && emailLink ? <p className="my-4 text-center text-sm text-slate-600">or</p> : null}
      {emailLink ? (
        <>
          <p className="mb-4 text-sm text-slate-600">We email you a link that signs you in. No password.</p>
          <SignInForm />
        </>
      ) : (
        <p className="mt-6 text-sm text-slate-600">
          Your company&apos;s sign-in is down?{" "}
          <Link href={ADMIN_PATHS.breakGlass} className="text-blue-700 underline">
            Break-glass sign-in
          </Link>
        </p>
      )}
    </AuthCard>
  );
};

export default SignInPage;
