import "server-only";

import { assertRole, type TActor } from "@/lib/auth/actor";
import type { TNeedsAttention } from "@/lib/dashboard/attention-lines";
import { ZDashboardSummary, type TDashboardSummary } from "@/lib/dashboard/dashboard-summary-schema";
import { exportWarning, type TExportWarning } from "@/lib/dashboard/export-warning";
import { readNeedsAttention } from "@/lib/dashboard/needs-attention";
import type { TExportFile } from "@/lib/exports/export-manifest";
import { jobs, QUEUES } from "@/lib/jobs";
import { readLinkRequestCeiling, type TLinkRequestCeiling } from "@/lib/objections/link-request-limits";
import { logger } from "@/lib/logger";
import { readOnReplica } from "@/lib/read-replica/read-on-replica";

/**
 * A summary older than this is refreshed when someone looks, and the page says it is old: the
 * worker refreshes it every 20 s, so this means the worker is down or behind.
 */
export const SUMMARY_STALE_AFTER_MS = 2 * 60 * 1000;

export type TLastExport = {
  id: string;
  status: "running" | "succeeded" | "failed";
  cutoff: Date;
  startedAt: Date;
  finishedAt: Date | null;
  acknowledgedAt: Date | null;
  /** Rows of the snapshot file: everyone the pipeline must leave out. Null until the run has files. */
  rows: number | null;
  /** Rows of the delta file: what changed since the run before. */
  deltaRows: number | null;
};

export type TDashboard = {
  summary: { data: TDashboardSummary; computedAt: Date; durationMs: number } | null;
  /** A fresh summary was asked of the worker (none yet, or the stored one is old). */
  refreshing: boolean;
  lastExport: TLastExport | null;
  /** When the newest successful export was cut: the age that matters to the pipeline. */
  lastSucceededAt: Date | null;
  exportWarning: TExportWarning | null;
  /** The /object form's hourly ceiling (LINK_REQUESTS_PER_HOUR) when it is reached: the form refuses everyone until it resets. */
  linkRequestCeiling: TLinkRequestCeiling | null;
  /** What waits for a person, read live (bounded counts): the list at the top of the page. */
  needsAttention: TNeedsAttention;
};

type TRunRow = Omit<TLastExport, "rows" | "deltaRows"> & { files: TExportFile[] | null };

/**
 * Asks the worker for fresh figures. The queue keeps at most one waiting job, so any number of
 * page views adds nothing while one is waiting. Never fails the page: the stored figures still show.
 */
const requestRefresh = async () => {
  try {
    const boss = await jobs();
    await boss.send(QUEUES.dashboardSummary.name, {});
  } catch (error) {
    logger().warn({ event: "dashboard_refresh_failed", error }, "could not ask for fresh figures");
  }
};

const fileRows = (files: TExportFile[] | null, kind: TExportFile["kind"]) => files?.find((file) => file.kind === kind)?.rows ?? null;

const lastExportOf = ({ files, ...run }: TRunRow): TLastExport => ({ ...run, rows: fileRows(files, "snapshot"), deltaRows: fileRows(files, "delta") });

/**
 * What /admin shows: the stored summary (one row) and the last export, read live; from the replica
 * unless `primary`, but for the ceiling's counter, which is the rate limiter's own row.
 */
export const readDashboard = async ({ actor, now = new Date(), primary }: { actor: TActor; now?: Date; primary?: boolean }): Promise<TDashboard> => {
  assertRole(actor, "viewer");
  // Every read is a single row: the summary and the ceiling's counter by primary key, runs by the
  // (status, cutoff) index or a table of one row a night; the "Needs attention" counts each stop
  // at 101 entries of a partial index.
  const [[stored, latest, succeeded, attention], linkRequestCeiling] = await Promise.all([
    readOnReplica(
      ({ db, pool }) =>
        Promise.all([
          db.dashboardSummary.findUnique({ where: { id: 1 }, select: { data: true, computedAt: true, durationMs: true } }),
          db.exportRun.findFirst({
            orderBy: [{ startedAt: "desc" }, { id: "desc" }],
            select: { id: true, status: true, cutoff: true, startedAt: true, finishedAt: true, acknowledgedAt: true, files: true },
          }),
          db.exportRun.findFirst({ where: { status: "succeeded" }, orderBy: { cutoff: "desc" }, select: { cutoff: true } }),
          readNeedsAttention({ actor, pool }),
        ]),
      { primary },
    ),
    readLinkRequestCeiling(),
  ]);

  // A row written by an older version of the schema is treated as missing, and recomputed.
  const parsed = stored ? ZDashboardSummary.safeParse(stored.data) : null;
  const summary = stored && parsed?.success ? { data: parsed.data, computedAt: stored.computedAt, durationMs: stored.durationMs } : null;
  const refreshing = !summary || now.getTime() - summary.computedAt.getTime() > SUMMARY_STALE_AFTER_MS;
  if (refreshing) await requestRefresh();

  // The run's manifest of files is JSON that only the export writes.
  const run: TRunRow | null = latest ? { ...latest, files: latest.files as TExportFile[] | null } : null;
  const lastExport = run ? lastExportOf(run) : null;
  const lastSucceededAt = succeeded?.cutoff ?? null;
  const warning = exportWarning({ latest: run, lastSucceededAt, now });
  return { summary, refreshing, lastExport, lastSucceededAt, exportWarning: warning, linkRequestCeiling, needsAttention: { ...attention, export: warning } };
};
