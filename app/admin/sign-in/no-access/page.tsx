import type { Metadata } from "next";

import { AuthCard, AuthCardSignInLink } from "@/components/admin/auth-card";

export const metadata: Metadata = { title: "No access to the console" };

/** Where a refused single sign-on ends: the provider knows who you are, and this console gives you no role. */
const NoAccessPage = () => (
  <AuthCard title="You have no access to this console">
    <p className="text-sm text-slate-700">
      Your company&apos;s sign-in worked, but it gives you no role here: access comes from your groups there, or the address it holds for you is not verified.
      Ask whoever manages your company&apos;s sign-in to add you to a group for this console.
    </p>
    <AuthCardSignInLink>Back to sign-in</AuthCardSignInLink>
  </AuthCard>
);

export default NoAccessPage;
