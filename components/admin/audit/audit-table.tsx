"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { ScrollText } from "lucide-react";

import { AUDIT_ACTION_LABELS } from "@/components/admin/audit/audit-labels";
import { ConsoleTime } from "@/components/admin/console-time";
import { DataTable, type TColumnMeta } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { RowLink } from "@/components/ui/row-link";
import { systemActorWords } from "@/lib/audit/actor-words";
import { auditDetailWords, auditTargetWords } from "@/lib/audit/audit-words";
import type { TAuditEventRow } from "@/lib/audit/list-audit-events";
import type { AuditAction } from "@/lib/generated/prisma/enums";

const Target = ({ event }: { event: TAuditEventRow }) => {
  const target = auditTargetWords({ type: event.targetType, id: event.targetId, name: event.targetName, exists: event.targetExists });
  if (!target) return <span className="text-slate-600">—</span>;
  return target.href ? (
    <RowLink href={target.href} className="break-words text-blue-800 underline">
      {target.label}
    </RowLink>
  ) : (
    <span className="break-words">{target.label}</span>
  );
};

/** Who acted: an admin by address, the platform, or the system's job in words. */
const actorWords = (event: TAuditEventRow) => event.actorEmail ?? (event.actorType === "platform" ? "The platform" : event.actorType === "admin" ? "An admin" : systemActorWords(event.actorJob));

const COLUMNS: ColumnDef<TAuditEventRow, unknown>[] = [
  { id: "createdAt", header: "When", meta: { sortKey: "createdAt" } satisfies TColumnMeta, cell: ({ row }) => <ConsoleTime value={row.original.createdAt} /> },
  { header: "Admin", cell: ({ row }) => <span className="break-all">{actorWords(row.original)}</span> },
  { header: "Action", cell: ({ row }) => AUDIT_ACTION_LABELS[row.original.action as AuditAction] ?? row.original.action },
  { header: "About", cell: ({ row }) => <Target event={row.original} /> },
  { header: "Detail", cell: ({ row }) => <span className="text-slate-700">{auditDetailWords(row.original.detail)}</span> },
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
