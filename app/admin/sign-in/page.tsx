import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { AuthCard } from "@/components/admin/auth-card";
import { SignInForm } from "@/app/admin/sign-in/_components/sign-in-form";
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
  return (
    <AuthCard title="Sign in">
      <p className="mb-4 text-sm text-slate-600">We email you a link that signs you in. No password.</p>
      <SignInForm />
    </AuthCard>
  );
};

export default SignInPage;
