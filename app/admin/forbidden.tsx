import Link from "next/link";

import { AuthCard } from "@/components/admin/auth-card";

const Forbidden = () => (
  <AuthCard title="You do not have access to this">
    <p className="text-sm text-slate-700">Your role does not allow this page or action. An admin can change your role on the Team page.</p>
    <p className="mt-4 text-sm">
      <Link href="/admin" className="text-blue-700 underline">
        Back to the dashboard
      </Link>
    </p>
  </AuthCard>
);

export default Forbidden;
