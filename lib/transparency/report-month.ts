import { z } from "zod";

import type { TTransparencyReport } from "@/lib/transparency/read-transparency-report";

/** A month as the report names it: YYYY-MM. */
export const ZReportMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

/** The report's months, newest first. */
export const reportMonths = (report: TTransparencyReport) => [...new Set(report.rows.map((row) => row.month))];

/**
 * The month the page shows: the one asked for (`?month=`) when the report has it, else the newest.
 * A month asked for that is malformed or has no figures shows the newest: the selector lists the rest.
 */
export const chosenReportMonth = ({ report, requested }: { report: TTransparencyReport; requested: unknown }) => {
  const months = reportMonths(report);
  const parsed = ZReportMonth.safeParse(requested);
  return parsed.success && months.includes(parsed.data) ? parsed.data : (months[0] ?? null);
};
