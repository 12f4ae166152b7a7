import type { Metadata } from "next";
import Link from "next/link";

import { AuthCard } from "@/components/admin/auth-card";
import { ADMIN_PATHS } from "@/lib/auth/admin-paths";

export const metadata: Metadata = { title: "No access to the console" };

/** Where a refused single sign-on ends: the provider knows who you are, and this console gives you no role. */
const NoAccessPage = () => (
  <AuthCard title="You have no access to this console">
    <p className="text-sm text-slate-700">
      Your company&apos;s sign-in worked, but it gives you no role here: access comes from your groups there, or the address it holds for you is not verified.
      Ask whoever manages your company&apos;s sign-in to add you to a group for this console.
    </p>
    <p className="mt-4 text-sm">
      <Link href={ADMIN_PATHS.signIn} className="text-blue-700 underline">
        Back to sign-in
      </Link>
    </p>
  </AuthCard>
);

export default NoAccessPage;
