import { ShieldCheck } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";

import { ADMIN_PATHS } from "@/lib/auth/admin-paths";

/** The one-card page of sign-in, "check your inbox" and sign-in errors. */
export const AuthCard = ({ title, children }: { title: string; children: ReactNode }) => (
  <main className="flex min-h-screen items-center justify-center px-4 py-10">
    <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <div className="mb-4 flex items-center gap-2 text-slate-700">
        <ShieldCheck className="h-5 w-5 text-blue-700" aria-hidden />
        <span className="text-sm font-medium">Objection · admin console</span>
      </div>
      <h1 className="mb-4 text-xl font-semibold text-slate-900">{title}</h1>
      {children}
    </div>
  </main>
);

/** The card's way back to the sign-in page, worded for where it leads from. */
export const AuthCardSignInLink = ({ children }: { children: ReactNode }) => (
  <p className="mt-4 text-sm">
    <Link href={ADMIN_PATHS.signIn} className="text-blue-700 underline">
      {children}
    </Link>
  </p>
);
