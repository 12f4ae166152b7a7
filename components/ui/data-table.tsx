"use client";

import { type ColumnDef, flexRender, getCoreRowModel, type RowSelectionState, useReactTable } from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown, MoveHorizontal } from "lucide-react";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import type { ReactNode } from "react";

import { cn } from "@/components/ui/cn";

export type TSort = { key: string; dir: "asc" | "desc" };

/** Column metadata: `sortKey` makes the header a link that sorts on the server. */
export type TColumnMeta = { sortKey?: string; className?: string };

type TDataTableProps<TRow> = {
  columns: ColumnDef<TRow, unknown>[];
  data: TRow[];
  caption: string;
  getRowId: (row: TRow) => string;
  sort?: TSort;
  empty: ReactNode;
  rowSelection?: RowSelectionState;
  onRowSelectionChange?: (selection: RowSelectionState) => void;
};

const SortHeader = ({ label, sortKey, sort }: { label: ReactNode; sortKey: string; sort?: TSort }) => {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const active = sort?.key === sortKey;
  const next = new URLSearchParams(searchParams);
  next.set("sort", sortKey);
  next.set("dir", active && sort.dir === "desc" ? "asc" : "desc");
  // A new order starts from the first page.
  next.delete("after");
  const Icon = !active ? ArrowUpDown : sort.dir === "asc" ? ArrowUp : ArrowDown;
  return (
    <Link href={`${pathname}?${next}`} className="inline-flex items-center gap-1 hover:text-slate-900">
      {label}
      <Icon className="h-3.5 w-3.5" aria-hidden />
    </Link>
  );
};

/** A table on @tanstack/react-table: server-side data and order, optional row selection, a clear empty state. */
export const DataTable = <TRow,>({ columns, data, caption, getRowId, sort, empty, rowSelection, onRowSelectionChange }: TDataTableProps<TRow>) => {
  // The table instance is rebuilt each render from server data; nothing here needs memoising.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data,
    columns,
    getRowId,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    enableRowSelection: !!onRowSelectionChange,
    state: { rowSelection: rowSelection ?? {} },
    onRowSelectionChange: (updater) => onRowSelectionChange?.(typeof updater === "function" ? updater(rowSelection ?? {}) : updater),
  });
  if (data.length === 0) return <>{empty}</>;
  return (
    <div>
      <p className="mb-1 flex items-center gap-1 text-xs text-slate-600 lg:hidden" aria-hidden>
        <MoveHorizontal className="h-3.5 w-3.5" />
        Scroll sideways to see every column.
      </p>
      {/*
        A narrow screen scrolls the table, not the page. The body's overflow-wrap: anywhere (globals.css,
        for the public pages) would let a column shrink to one letter a line: cells wrap between words
        here (wrap-normal), and a cell that must break anywhere says so (break-all). Focusable, so a
        keyboard can scroll it too.
      */}
      <div role="region" aria-label={caption} tabIndex={0} className="overflow-x-auto rounded-lg border border-slate-200 bg-white focus-visible:outline-2 focus-visible:outline-blue-700">
        <table className="w-full min-w-[44rem] text-left text-sm wrap-normal">
          <caption className="sr-only">{caption}</caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs font-semibold tracking-wide text-slate-700 uppercase">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const meta = header.column.columnDef.meta as TColumnMeta | undefined;
                  const label = header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext());
                  const sortKey = meta?.sortKey;
                  const ariaSort = sortKey && sort?.key === sortKey ? (sort.dir === "asc" ? "ascending" : "descending") : undefined;
                  return (
                    <th key={header.id} scope="col" aria-sort={ariaSort} className={cn("px-3 py-2 whitespace-nowrap", meta?.className)}>
                      {sortKey ? <SortHeader label={label} sortKey={sortKey} sort={sort} /> : label}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-slate-100">
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} className={cn("hover:bg-slate-50", row.getIsSelected() && "bg-blue-50")}>
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={cn("px-3 py-2 align-top", (cell.column.columnDef.meta as TColumnMeta | undefined)?.className)}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
};
