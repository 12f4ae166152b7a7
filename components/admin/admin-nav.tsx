"use client";

import { ClipboardList, FileDown, LayoutDashboard, MailX, Megaphone, ScrollText, UserSearch, Users } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";

import { cn } from "@/components/ui/cn";

const ITEMS = [
  { href: "/admin", label: "Dashboard", icon: LayoutDashboard, exact: true },
  { href: "/admin/objections", label: "Objections", icon: ClipboardList },
  { href: "/admin/members", label: "Members", icon: UserSearch },
  { href: "/admin/suppressions", label: "Suppressions", icon: MailX },
  { href: "/admin/campaigns", label: "Campaigns", icon: Megaphone },
  { href: "/admin/exports", label: "Exports", icon: FileDown },
  { href: "/admin/audit", label: "Audit log", icon: ScrollText },
  { href: "/admin/team", label: "Team", icon: Users },
] as const;

export const AdminNav = () => {
  const pathname = usePathname();
  return (
    <nav aria-label="Console" className="flex gap-1 overflow-x-auto md:flex-col">
      {ITEMS.map(({ href, label, icon: Icon, ...item }) => {
        const active = "exact" in item ? pathname === href : pathname.startsWith(href);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={cn("flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap", active ? "bg-blue-50 text-blue-800" : "text-slate-700 hover:bg-slate-100")}
          >
            <Icon className="h-4 w-4" aria-hidden />
            {label}
          </Link>
        );
      })}
    </nav>
  );
};
