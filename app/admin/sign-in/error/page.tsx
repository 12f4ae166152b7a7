import type { Metadata } from "next";
import Link from "next/link";

import { AuthCard } from "@/components/admin/auth-card";
import { ADMIN_PATHS } from "@/lib/auth/admin-paths";

export const metadata: Metadata = { title: "Sign-in link not valid" };

const SignInErrorPage = () => (
  <AuthCard title="This sign-in link does not work">
    <p className="text-sm text-slate-700">A link works once and expires after a few minutes. Ask for a new one.</p>
    <p className="mt-4 text-sm">
      <Link href={ADMIN_PATHS.signIn} className="text-blue-700 underline">
        Get a new sign-in link
      </Link>
    </p>
  </AuthCard>
);

export default SignInErrorPage;
