"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { Download, FileDown } from "lucide-react";

import { EXPORT_STATUS } from "@/components/admin/exports/export-status";
import { EXPORT_KIND_LABELS } from "@/components/admin/status-labels";
import { Badge } from "@/components/ui/badge";
import { DataTable, type TColumnMeta } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import type { TExportRunRow } from "@/lib/exports/list-export-runs";

const DAY = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const TIME = new Intl.DateTimeFormat("en-GB", { timeStyle: "short", timeZone: "UTC" });

/** A time in UTC on two lines, day then hour: three time columns then fit beside the files at 1280 px. */
const RunTime = ({ value, fallback = "—" }: { value: Date | string | null; fallback?: string }) => {
  if (!value) return <span className="text-slate-600">{fallback}</span>;
  const date = new Date(value);
  return (
    <time dateTime={date.toISOString()} title={date.toISOString()}>
      <span className="block whitespace-nowrap">{DAY.format(date)}</span>
      <span className="block whitespace-nowrap text-slate-600">{TIME.format(date)} UTC</span>
    </time>
  );
};

const bytes = (value: number) => (value < 1024 ? `${value} B` : value < 1024 ** 2 ? `${(value / 1024).toFixed(1)} KB` : `${(value / 1024 ** 2).toFixed(1)} MB`);

const duration = (run: TExportRunRow) => {
  if (!run.finishedAt) return "—";
  const ms = new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime();
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
};

const Files = ({ run, canDownload }: { run: TExportRunRow; canDownload: boolean }) => {
  if (!run.files?.length) return <span className="text-slate-600">—</span>;
  return (
    <ul className="space-y-2">
      {run.files.map((file) => (
        <li key={file.name} className="min-w-40">
          <div className="flex flex-wrap items-center gap-x-2">
            {canDownload && !run.filesDeletedAt ? (
              <a href={`/admin/exports/${run.id}/files/${encodeURIComponent(file.name)}`} download className="inline-flex items-center gap-1 font-medium text-blue-800 underline">
                <Download className="h-3.5 w-3.5" aria-hidden />
                {file.name}
              </a>
            ) : (
              <span className="font-medium">{file.name}</span>
            )}
            <span className="whitespace-nowrap text-slate-700">
              {file.rows.toLocaleString("en")} rows · {bytes(file.bytes)}
            </span>
          </div>
          <p className="font-mono text-xs break-all text-slate-600">sha256 {file.sha256}</p>
        </li>
      ))}
      {run.filesDeletedAt ? <li className="text-xs text-slate-600">Files deleted by retention.</li> : null}
    </ul>
  );
};

export const ExportRunsTable = ({ runs, canDownload, dir }: { runs: TExportRunRow[]; canDownload: boolean; dir: "asc" | "desc" }) => {
  const columns: ColumnDef<TExportRunRow, unknown>[] = [
    { id: "startedAt", header: "Started", meta: { sortKey: "startedAt" } satisfies TColumnMeta, cell: ({ row }) => <RunTime value={row.original.startedAt} /> },
    {
      header: "Status",
      cell: ({ row }) => (
        <div className="space-y-1">
          <Badge tone={EXPORT_STATUS[row.original.status].tone}>{EXPORT_STATUS[row.original.status].label}</Badge>
          {row.original.error ? <p className="max-w-48 min-w-32 text-xs text-red-800">{row.original.error}</p> : null}
        </div>
      ),
    },
    { header: "Kind", cell: ({ row }) => `${EXPORT_KIND_LABELS[row.original.kind]} (${row.original.format})` },
    { header: "Cutoff", cell: ({ row }) => <RunTime value={row.original.cutoff} /> },
    { header: "Files", cell: ({ row }) => <Files run={row.original} canDownload={canDownload} /> },
    { header: "Duration", cell: ({ row }) => <span className="whitespace-nowrap">{duration(row.original)}</span> },
    { header: "Storage", cell: ({ row }) => <span className="block max-w-40 min-w-24 font-mono text-xs break-all">{row.original.location}</span> },
    { header: "Acknowledged", cell: ({ row }) => <RunTime value={row.original.acknowledgedAt} fallback={row.original.status === "succeeded" ? "Not yet" : "—"} /> },
  ];
  return (
    <DataTable
      columns={columns}
      data={runs}
      caption={`Export runs, ${dir === "asc" ? "oldest" : "newest"} first`}
      sort={{ key: "startedAt", dir }}
      getRowId={(run) => run.id}
      empty={
        <EmptyState icon={FileDown} title="No export runs yet">
          The worker writes one every night; an admin can start one now.
        </EmptyState>
      }
    />
  );
};
