"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { ScrollText } from "lucide-react";
import Link from "next/link";

import { AUDIT_ACTION_LABELS } from "@/components/admin/audit/audit-labels";
import { ConsoleTime } from "@/components/admin/console-time";
import { DataTable, type TColumnMeta } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import type { TAuditEventRow } from "@/lib/audit/list-audit-events";
import type { AuditAction, AuditTarget } from "@/lib/generated/prisma/enums";

const TARGET_HREF: Partial<Record<AuditTarget, (id: string) => string>> = {
  objection: (id) => `/admin/objections/${id}`,
  campaign: (id) => `/admin/campaigns/${id}`,
  member: (id) => `/admin/members/${id}`,
};

const Target = ({ type, id }: { type: AuditTarget | null; id: string | null }) => {
  if (!type || !id) return <span className="text-slate-600">—</span>;
  const href = TARGET_HREF[type]?.(id);
  const label = `${type} ${id.slice(0, 8)}`;
  return href ? (
    <Link href={href} className="font-mono text-xs text-blue-800 underline" title={id}>
      {label}
    </Link>
  ) : (
    <span className="font-mono text-xs" title={id}>
      {label}
    </span>
  );
};

// A nested object (the filters of a download or a search) reads as key=value pairs, not "[object Object]".
const detailValue = (value: unknown): string => {
  if (Array.isArray(value)) return value.join(", ") || "all";
  if (value && typeof value === "object") return Object.entries(value).map(([key, item]) => `${key}=${String(item)}`).join(", ");
  return String(value);
};

const detailText = (detail: unknown) => (detail && typeof detail === "object" ? Object.entries(detail).map(([key, value]) => `${key}: ${detailValue(value)}`).join("; ") : "");

const COLUMNS: ColumnDef<TAuditEventRow, unknown>[] = [
  { id: "createdAt", header: "When", meta: { sortKey: "createdAt" } satisfies TColumnMeta, cell: ({ row }) => <ConsoleTime value={row.original.createdAt} /> },
  { header: "Admin", cell: ({ row }) => <span className="break-all">{row.original.actorEmail ?? (row.original.actorType === "platform" ? "Platform" : "System")}</span> },
  { header: "Action", cell: ({ row }) => AUDIT_ACTION_LABELS[row.original.action as AuditAction] ?? row.original.action },
  { header: "About", cell: ({ row }) => <Target type={row.original.targetType} id={row.original.targetId} /> },
  { header: "Detail", cell: ({ row }) => <span className="text-slate-700">{detailText(row.original.detail)}</span> },
];

export const AuditTable = ({ events, filtered, dir }: { events: TAuditEventRow[]; filtered: boolean; dir: "asc" | "desc" }) => (
  <DataTable
    columns={COLUMNS}
    data={events}
    caption={`Audit events, ${dir === "asc" ? "oldest" : "newest"} first`}
    sort={{ key: "createdAt", dir }}
    getRowId={(event) => event.id}
    empty={
      <EmptyState icon={ScrollText} title={filtered ? "No events match these filters" : "No admin actions yet"}>
        {filtered ? "Widen the dates or clear a filter." : "Sign-ins, reveals, objection actions, downloads, campaign and export actions appear here."}
      </EmptyState>
    }
  />
);
