import Link from "next/link";

import { AuthCard } from "@/components/admin/auth-card";

const Unauthorized = () => (
  <AuthCard title="Please sign in">
    <p className="text-sm text-slate-700">Your session has ended. Sign in again to continue.</p>
    <p className="mt-4 text-sm">
      <Link href="/admin/sign-in" className="text-blue-700 underline">
        Sign in
      </Link>
    </p>
  </AuthCard>
);

export default Unauthorized;
