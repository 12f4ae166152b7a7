"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { MailX } from "lucide-react";

import { ConsoleTime } from "@/components/admin/console-time";
import { CHANNEL_LABELS, SUPPRESSION_REASON_LABELS } from "@/components/admin/notices/notice-labels";
import { Badge, type TBadgeTone } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { RowLink } from "@/components/ui/row-link";
import type { SuppressionReason } from "@/lib/generated/prisma/enums";
import type { TSuppressionRow } from "@/lib/suppressions/list-suppressions";

const REASON_TONES: Record<SuppressionReason, TBadgeTone> = { hard_bounce: "danger", complaint: "danger", unsubscribe: "neutral" };

const COLUMNS: ColumnDef<TSuppressionRow, unknown>[] = [
  {
    id: "member",
    header: "Member",
    cell: ({ row }) => (
      <RowLink href={`/admin/members/${row.original.memberId}`} className="font-mono text-xs break-all text-blue-800 underline hover:text-blue-900">
        {row.original.externalId}
      </RowLink>
    ),
  },
  { id: "reason", header: "Reason", cell: ({ row }) => <Badge tone={REASON_TONES[row.original.reason]}>{SUPPRESSION_REASON_LABELS[row.original.reason]}</Badge> },
  { id: "since", header: "Since", cell: ({ row }) => <ConsoleTime value={row.original.createdAt} /> },
  {
    id: "notice",
    header: "Notice",
    cell: ({ row }) => {
      const notice = row.original.notice;
      if (!notice) return <span className="text-slate-600">Not recorded</span>;
      return (
        <span className="flex flex-wrap items-center gap-1">
          <Badge>{CHANNEL_LABELS[notice.channel]}</Badge>
          {notice.campaignId ? (
            <RowLink href={`/admin/campaigns/${notice.campaignId}`} className="text-blue-800 underline hover:text-blue-900">
              {notice.campaignName || "Unnamed campaign"}
            </RowLink>
          ) : (
            <span className="text-slate-600">Outside a campaign</span>
          )}
        </span>
      );
    },
  },
];

const emptyTitle = ({ filtered, isFirstPage }: { filtered: boolean; isFirstPage: boolean }) => {
  if (!isFirstPage) return "No more suppressions";
  return filtered ? "No suppressions for this reason" : "No suppressions";
};

export const SuppressionsTable = ({ suppressions, filtered, isFirstPage }: { suppressions: TSuppressionRow[]; filtered: boolean; isFirstPage: boolean }) => (
  <DataTable
    columns={COLUMNS}
    data={suppressions}
    caption="Members whose email notices are stopped"
    getRowId={(row) => row.memberId}
    empty={
      <EmptyState icon={MailX} title={emptyTitle({ filtered, isFirstPage })}>
        {!isFirstPage
          ? "The list ends here. Go back to the first page."
          : filtered
          ? "Choose another reason, or every reason."
          : "Every member can still be emailed. A hard bounce, a complaint or a press on \u201cstop these emails\u201d stops a member's email notices, and they appear here."}
      </EmptyState>
    }
  />
);
