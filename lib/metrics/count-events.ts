import "server-only";

import { COUNT_EVENTS_SQL } from "@/lib/metrics/metrics-sql";
import { pgPool } from "@/lib/pg";

/**
 * Events /api/metrics counts that leave no row of their own. The names are part of the metric
 * `objection_events_total{event="…"}`: keep them.
 */
export const COUNTED_EVENTS = [
  "bounce_report_dropped_bad_mac",
  "bounce_report_dropped_too_old",
  "bounce_report_dropped_unquoted",
  "bounce_report_dropped_old_format",
  "link_request_refused_ceiling",
] as const;

export type TCountedEvent = (typeof COUNTED_EVENTS)[number];

/** Adds to the running totals (`{ bounce_report_dropped_bad_mac: 3 }`); a zero adds nothing. */
export const countEvents = async (counts: Partial<Record<TCountedEvent, number>>) => {
  const entries = Object.entries(counts).filter(([, n]) => (n ?? 0) > 0);
  if (entries.length === 0) return;
  await pgPool().query(COUNT_EVENTS_SQL, [entries.map(([event]) => event), entries.map(([, n]) => n)]);
};
