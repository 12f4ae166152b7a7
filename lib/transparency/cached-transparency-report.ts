import "server-only";

import { readTransparencyReport, type TTransparencyReport } from "@/lib/transparency/read-transparency-report";

/** How long one process reuses a report it read: the figures move by the hour, not the second. */
export const REPORT_REUSE_MS = 30_000;

let kept: { at: number; report: Promise<TTransparencyReport> } | undefined;

/**
 * The report for /transparency and /transparency.json: read at most once per REPORT_REUSE_MS per
 * process (concurrent requests share the one read), so a burst of visitors costs one read. A
 * failed read is not kept.
 */
export const cachedTransparencyReport = () => {
  const now = Date.now();
  if (kept && now - kept.at < REPORT_REUSE_MS) return kept.report;
  const report = readTransparencyReport();
  const entry = { at: now, report };
  kept = entry;
  report.catch(() => {
    if (kept === entry) kept = undefined;
  });
  return report;
};
