"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Megaphone } from "lucide-react";

import { CHANNEL_LABELS, countriesLabel } from "@/components/admin/campaigns/campaign-labels";
import { CampaignStatusBadge } from "@/components/admin/campaigns/campaign-status-badge";
import { ConsoleTime } from "@/components/admin/console-time";
import { DataTable, type TColumnMeta } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { RowLink } from "@/components/ui/row-link";
import type { TCampaignSummary } from "@/lib/campaigns/list-campaigns";

const COLUMNS: ColumnDef<TCampaignSummary, unknown>[] = [
  {
    header: "Name",
    cell: ({ row }) => (
      <RowLink href={`/admin/campaigns/${row.original.id}`} className="font-medium text-blue-800 underline">
        {row.original.name}
      </RowLink>
    ),
  },
  {
    header: "Status",
    cell: ({ row }) => (
      <span className="block max-w-64 space-y-1">
        <CampaignStatusBadge status={row.original.status} />
        {row.original.status === "failed" && row.original.failureReason ? <span className="line-clamp-3 block text-xs text-red-900" title={row.original.failureReason}>{row.original.failureReason}</span> : null}
      </span>
    ),
  },
  { header: "Channels", cell: ({ row }) => row.original.channels.map((channel) => CHANNEL_LABELS[channel] ?? channel).join(", ") },
  { header: "Countries", cell: ({ row }) => <span className="block max-w-64">{countriesLabel(row.original.countries)}</span> },
  { header: "Audience", meta: { className: "text-right tabular-nums" }, cell: ({ row }) => (row.original.launchedAt ? row.original.total.toLocaleString("en") : "—") },
  { id: "createdAt", header: "Created", meta: { sortKey: "createdAt" } satisfies TColumnMeta, cell: ({ row }) => <ConsoleTime value={row.original.createdAt} /> },
  { header: "Launched", cell: ({ row }) => <ConsoleTime value={row.original.launchedAt} /> },
];

export const CampaignsTable = ({ campaigns, dir }: { campaigns: TCampaignSummary[]; dir: "asc" | "desc" }) => (
  <DataTable
    columns={COLUMNS}
    data={campaigns}
    caption={`Campaigns, ${dir === "asc" ? "oldest" : "newest"} first`}
    sort={{ key: "createdAt", dir }}
    getRowId={(campaign) => campaign.id}
    empty={
      <EmptyState icon={Megaphone} title="No campaigns yet">
        A campaign tells eligible members, by email and in the app, that they can object.
      </EmptyState>
    }
  />
);
