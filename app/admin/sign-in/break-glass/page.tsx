import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { SignInForm } from "@/app/admin/sign-in/_components/sign-in-form";
import { AuthCard } from "@/components/admin/auth-card";
import { ADMIN_PATHS } from "@/lib/auth/admin-paths";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Break-glass sign-in" };

/**
 * The emailed link when single sign-on is the only way in (ADMIN_EMAIL_SIGN_IN=0): it answers every
 * address alike, and sends a link only to the operator's ADMIN_EMAILS. Each such sign-in is audited as break-glass.
 */
const BreakGlassPage = () => {
  if (env().ADMIN_EMAIL_SIGN_IN === "1") redirect(ADMIN_PATHS.signIn);
  return (
    <AuthCard title="Break-glass sign-in">
      <p className="mb-4 text-sm text-slate-600">
        For when your company&apos;s sign-in is down. Only the addresses the operator set for this get a link, and every such sign-in is recorded in the audit log.
      </p>
      <SignInForm />
    </AuthCard>
  );
};

export default BreakGlassPage;
