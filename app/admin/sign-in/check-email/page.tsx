import type { Metadata } from "next";

import { AuthCard, AuthCardSignInLink } from "@/components/admin/auth-card";
import { SIGN_IN_LINK_MINUTES } from "@/lib/auth/send-sign-in-email";

export const metadata: Metadata = { title: "Check your inbox" };

// Every address gets this page, with or without an email: it never says who is an admin.
const CheckEmailPage = () => (
  <AuthCard title="Check your inbox">
    <p className="text-sm text-slate-700">If this address may use the console, a sign-in link is on its way. It works once, for {SIGN_IN_LINK_MINUTES} minutes.</p>
    <AuthCardSignInLink>Use another address</AuthCardSignInLink>
  </AuthCard>
);

export default CheckEmailPage;
