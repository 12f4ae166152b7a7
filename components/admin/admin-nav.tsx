"use client";

import { ClipboardList, FileDown, LayoutDashboard, MailX, Megaphone, MonitorSmartphone, ScrollText, UserSearch, Users, Webhook } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";

import { cn } from "@/components/ui/cn";
import { hasRole, type TAdminRole } from "@/lib/auth/roles";

const ITEMS = [
  { href: "/admin", label: "Dashboard", icon: LayoutDashboard, exact: true },
  { href: "/admin/objections", label: "Objections", icon: ClipboardList },
  { href: "/admin/members", label: "Members", icon: UserSearch },
  { href: "/admin/suppressions", label: "Suppressions", icon: MailX },
  { href: "/admin/campaigns", label: "Campaigns", icon: Megaphone },
  { href: "/admin/exports", label: "Exports", icon: FileDown },
  { href: "/admin/webhooks", label: "Webhooks", icon: Webhook, role: "admin" },
  { href: "/admin/audit", label: "Audit log", icon: ScrollText },
  { href: "/admin/team", label: "Team", icon: Users, role: "admin" },
  // Every role's own: the browsers signed in as you, each of which you may end.
  { href: "/admin/sessions", label: "Sessions", icon: MonitorSmartphone },
] as const;

/** The sections this role may open: Team and Webhooks are an admin's alone, so a reviewer is not shown a door that answers 403. */
export const navItemsFor = (role: TAdminRole) => ITEMS.filter((item) => !("role" in item) || hasRole({ role }, item.role));

/**
 * Every section at once: in a column beside the page from md up, and wrapped into rows above it
 * on a phone, so none hides off-screen and the current one is always in view.
 */
export const AdminNav = ({ role }: { role: TAdminRole }) => {
  const pathname = usePathname();
  return (
    <nav aria-label="Console" className="flex flex-wrap gap-1 md:flex-col md:flex-nowrap">
      {navItemsFor(role).map(({ href, label, icon: Icon, ...item }) => {
        const active = "exact" in item ? pathname === href : pathname.startsWith(href);
        return (
          // Not prefetched: every console page would have the server check the session and render
          // each section's layout again (twice each, about twenty requests a page) for the few
          // an admin opens next.
          <Link
            key={href}
            href={href}
            prefetch={false}
            aria-current={active ? "page" : undefined}
            className={cn("flex items-center gap-1.5 rounded-md px-2.5 py-2 text-sm font-medium whitespace-nowrap md:gap-2 md:px-3", active ? "bg-blue-50 text-blue-800" : "text-slate-700 hover:bg-slate-100")}
          >
            <Icon className="h-4 w-4" aria-hidden />
            {label}
          </Link>
        );
      })}
    </nav>
  );
};
