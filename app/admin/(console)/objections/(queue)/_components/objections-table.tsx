"use client";

import type { ColumnDef, RowSelectionState } from "@tanstack/react-table";
import { CheckCircle2, Inbox, XCircle } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useMemo, useState, useTransition } from "react";

import { runBulkObjectionAction } from "@/app/admin/(console)/objections/actions";
import { ConsoleTime } from "@/components/admin/console-time";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { DataTable, type TColumnMeta } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { Label, NativeSelect, Textarea } from "@/components/ui/input";
import { RowLink } from "@/components/ui/row-link";
import type { ObjectionSource, ObjectionStatus } from "@/lib/generated/prisma/enums";
import type { TBulkItemResult } from "@/lib/objections/admin/bulk-objection-schema";
import type { TObjectionListRow } from "@/lib/objections/list-objections";

const STATUS_TONES = { effective: "success", withdrawn: "neutral", rejected: "danger" } as const;

type TBulkKind = "match" | "note" | "spam";

const BulkBar = ({ rows, selectedIds, onDone }: { rows: TObjectionListRow[]; selectedIds: string[]; onDone: () => void }) => {
  const id = useId();
  const router = useRouter();
  const [action, setAction] = useState<TBulkKind>("spam");
  const [note, setNote] = useState("");
  const [pending, startTransition] = useTransition();
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string; results?: TBulkItemResult[] } | null>(null);
  const labelOf = (objectionId: string) => rows.find((row) => row.id === objectionId)?.maskedEmail ?? objectionId;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    startTransition(async () => {
      const result = await runBulkObjectionAction(action === "note" ? { action, objectionIds: selectedIds, note } : { action, objectionIds: selectedIds });
      setOutcome(result.ok ? { ok: true, message: result.message ?? "Done.", results: result.data } : { ok: false, message: result.message });
      if (result.ok) {
        onDone();
        router.refresh();
      }
    });
  };

  return (
    <div className="mb-4 space-y-3">
      {selectedIds.length ? (
        <form onSubmit={submit} aria-label="Bulk action" className="flex flex-col gap-3 rounded-lg border border-blue-200 bg-blue-50 p-3 sm:flex-row sm:items-end">
          <p className="text-sm font-medium text-slate-900 sm:self-center">{selectedIds.length} selected</p>
          <div>
            <Label htmlFor={`${id}-action`}>Action</Label>
            <NativeSelect id={`${id}-action`} value={action} onChange={(event) => setAction(event.target.value as TBulkKind)}>
              <option value="spam">Mark as spam</option>
              <option value="note">Add a note</option>
              <option value="match">Match to the member with the same email</option>
            </NativeSelect>
          </div>
          {action === "note" ? (
            <div className="flex-1">
              <Label htmlFor={`${id}-note`}>Note for every selected objection</Label>
              <Textarea id={`${id}-note`} value={note} onChange={(event) => setNote(event.target.value)} required maxLength={2000} className="min-h-10" />
            </div>
          ) : null}
          <Button type="submit" disabled={pending}>
            {pending ? "Working…" : "Apply to selection"}
          </Button>
        </form>
      ) : null}
      {outcome ? (
        <Alert tone={outcome.ok ? (outcome.results?.every((result) => result.ok) ? "success" : "warning") : "danger"} title={outcome.message} role="status">
          {outcome.results ? (
            <ul aria-label="Result per objection" className="space-y-1">
              {outcome.results.map((result) => (
                <li key={result.id} className="flex items-start gap-2">
                  {result.ok ? <CheckCircle2 className="mt-0.5 h-4 w-4 shrink-0 text-green-800" aria-hidden /> : <XCircle className="mt-0.5 h-4 w-4 shrink-0 text-red-800" aria-hidden />}
                  <span>
                    <RowLink href={`/admin/objections/${result.id}`} className="font-medium underline">
                      {labelOf(result.id)}
                    </RowLink>
                    : <span className="sr-only">{result.ok ? "done" : "not done"}, </span>
                    <span>{result.message}</span>
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
        </Alert>
      ) : null}
    </div>
  );
};

/** The queue's table: masked addresses, links to each objection, and (for reviewers) a selection for bulk actions. */
export const ObjectionsTable = ({
  rows,
  sort,
  canAct,
  sourceLabels,
  statusLabels,
}: {
  rows: TObjectionListRow[];
  sort: { key: string; dir: "asc" | "desc" };
  canAct: boolean;
  sourceLabels: Record<ObjectionSource, string>;
  statusLabels: Record<ObjectionStatus, string>;
}) => {
  const [selection, setSelection] = useState<RowSelectionState>({});
  const selectedIds = Object.keys(selection).filter((key) => selection[key] && rows.some((row) => row.id === key));

  const columns = useMemo<ColumnDef<TObjectionListRow, unknown>[]>(() => {
    const list: ColumnDef<TObjectionListRow, unknown>[] = [
      {
        id: "email",
        header: "Email",
        cell: ({ row }) => (
          <RowLink href={`/admin/objections/${row.original.id}`} className="font-medium text-blue-800 underline-offset-2 hover:underline">
            {row.original.maskedEmail}
            <span className="sr-only"> (open objection)</span>
          </RowLink>
        ),
      },
      {
        id: "externalId",
        header: "Member",
        cell: ({ row }) =>
          row.original.memberExternalId ? (
            <RowLink href={`/admin/objections/${row.original.id}`} className="text-slate-900 underline-offset-2 hover:underline">
              {row.original.memberExternalId}
            </RowLink>
          ) : (
            <span className="text-slate-600">Unmatched</span>
          ),
      },
      { id: "country", header: "Country", meta: { sortKey: "country" } satisfies TColumnMeta, cell: ({ row }) => row.original.country },
      { id: "source", header: "Source", cell: ({ row }) => sourceLabels[row.original.source] },
      {
        id: "status",
        header: "Status",
        cell: ({ row }) => (
          <span className="flex flex-wrap gap-1">
            <Badge tone={STATUS_TONES[row.original.status]}>{statusLabels[row.original.status]}</Badge>
            {row.original.isSpam ? <Badge tone="warning">Spam</Badge> : null}
            {row.original.rejectionPending ? <Badge tone="info">Rejection pending</Badge> : null}
          </span>
        ),
      },
      { id: "effectiveAt", header: "Effective", meta: { sortKey: "effectiveAt" } satisfies TColumnMeta, cell: ({ row }) => <ConsoleTime value={row.original.effectiveAt} /> },
      { id: "reason", header: "Reason", cell: ({ row }) => (row.original.hasReason ? "Yes" : <span className="text-slate-600">No</span>) },
    ];
    if (!canAct) return list;
    return [
      {
        id: "select",
        header: ({ table }) => (
          <Checkbox
            aria-label="Select every objection on this page"
            checked={table.getIsAllRowsSelected() ? true : table.getIsSomeRowsSelected() ? "indeterminate" : false}
            onCheckedChange={(checked) => table.toggleAllRowsSelected(checked === true)}
          />
        ),
        cell: ({ row }) => (
          <Checkbox aria-label={`Select the objection of ${row.original.maskedEmail}, ${row.original.country}`} checked={row.getIsSelected()} onCheckedChange={(checked) => row.toggleSelected(checked === true)} />
        ),
        meta: { className: "w-10" } satisfies TColumnMeta,
      },
      ...list,
    ];
  }, [canAct, sourceLabels, statusLabels]);

  return (
    <>
      {canAct ? <BulkBar rows={rows} selectedIds={selectedIds} onDone={() => setSelection({})} /> : null}
      <DataTable
        columns={columns}
        data={rows}
        caption="Objections"
        getRowId={(row) => row.id}
        sort={sort}
        rowSelection={canAct ? selection : undefined}
        onRowSelectionChange={canAct ? setSelection : undefined}
        empty={
          <EmptyState icon={Inbox} title="No objections match these filters">
            Change or clear the filters to see more.
          </EmptyState>
        }
      />
    </>
  );
};
