import { LogOut, ShieldCheck } from "lucide-react";
import type { ReactNode } from "react";

import { signOutAdmin } from "@/app/admin/(console)/actions";
import { AdminNav } from "@/components/admin/admin-nav";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { ROLE_LABELS } from "@/lib/auth/roles";

const ConsoleLayout = async ({ children }: { children: ReactNode }) => {
  const admin = await requireAdminPage();
  return (
    <div className="md:flex">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white md:sticky md:top-0 md:flex md:h-screen md:w-60 md:shrink-0 md:flex-col md:border-r md:border-b-0">
        <div className="flex items-center justify-between gap-2 px-4 py-3">
          <p className="flex items-center gap-2 font-semibold text-slate-900">
            <ShieldCheck className="h-5 w-5 text-blue-700" aria-hidden />
            Objection admin
          </p>
        </div>
        <div className="px-2 pb-2 md:flex-1">
          <AdminNav role={admin.role} />
        </div>
        <div className="flex items-center justify-between gap-2 border-t border-slate-200 px-4 py-3 text-sm">
          <div className="min-w-0">
            <p className="truncate text-slate-800" title={admin.email}>
              {admin.email}
            </p>
            <Badge tone="info">{ROLE_LABELS[admin.role]}</Badge>
          </div>
          <form action={signOutAdmin}>
            <Button type="submit" variant="ghost" size="sm" aria-label="Sign out">
              <LogOut className="h-4 w-4" aria-hidden />
              <span className="hidden sm:inline">Sign out</span>
            </Button>
          </form>
        </div>
      </header>
      <main id="main" className="min-w-0 flex-1 px-4 py-6 sm:px-6 lg:px-8">
        {children}
      </main>
    </div>
  );
};

export default ConsoleLayout;
