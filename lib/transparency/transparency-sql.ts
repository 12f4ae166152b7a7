// The transparency report's SQL (docs/transparency.md). The counters are kept by the triggers of
// migration transparency_counters; the export hours when a run is acknowledged
// (lib/exports/export-sql.ts ACKNOWLEDGE_RUN_SQL). Reading the report touches at most one row per
// (country, month, shard) and per (country, month, whole hour): never a notice or an objection.

/** The histogram's last bucket: an objection exported later than 90 days counts as 90 days. */
export const EXPORT_HOURS_CAP = 24 * 90;

/** The figures of every country and month: the sum of each key's shard rows. */
export const REPORT_COUNTERS_SQL = `
  SELECT country::text AS country, to_char(month, 'YYYY-MM') AS month,
    sum("noticesSent")::text AS "noticesSent", sum(reached)::text AS reached,
    sum(objections)::text AS objections, sum(withdrawals)::text AS withdrawals
  FROM "TransparencyCounter" GROUP BY country, month`;

export type TReportCounterRow = { country: string; month: string; noticesSent: string; reached: string; objections: string; withdrawals: string };

/**
 * The median of each (country, month)'s histogram and how many objections it holds. The median of
 * n values is the mean of the values at positions ceil(n/2) and floor(n/2)+1 (the same one when n
 * is odd), each found as the first bucket whose running total reaches it.
 */
export const REPORT_EXPORT_HOURS_SQL = `
  WITH running AS (
    SELECT country, month, hours,
      (sum(count) OVER (PARTITION BY country, month ORDER BY hours))::bigint AS upto,
      (sum(count) OVER (PARTITION BY country, month))::bigint AS total
    FROM "TransparencyExportHours" WHERE count > 0
  )
  SELECT country::text AS country, to_char(month, 'YYYY-MM') AS month, total::text AS exported,
    (min(hours) FILTER (WHERE upto >= (total + 1) / 2) + min(hours) FILTER (WHERE upto >= total / 2 + 1)) / 2.0 AS "medianHours"
  FROM running GROUP BY country, month, total`;

export type TReportExportHoursRow = { country: string; month: string; exported: string; medianHours: string };

/**
 * For the nightly check: the objection figures the counters hold against a recount of
 * "Objection" (one pass), by country and month; only the keys that disagree come back. Notices and
 * reach are not recounted: they count what happened, and a removed member's or campaign's notices
 * leave no row to recount (docs/transparency.md).
 */
export const TRANSPARENCY_OBJECTION_DRIFT_SQL = `
  WITH counted AS (
    SELECT country, month, sum(objections) AS objections, sum(withdrawals) AS withdrawals FROM "TransparencyCounter" GROUP BY 1, 2
  ), recount AS (
    SELECT country, month, sum(made) AS objections, sum(withdrawn) AS withdrawals FROM (
      SELECT country, transparency_month("effectiveAt") AS month, 1 AS made, 0 AS withdrawn FROM "Objection"
      UNION ALL SELECT country, transparency_month("withdrawnAt"), 0, 1 FROM "Objection" WHERE "withdrawnAt" IS NOT NULL
    ) o GROUP BY 1, 2
  )
  SELECT coalesce(k.country, r.country)::text AS country, to_char(coalesce(k.month, r.month), 'YYYY-MM') AS month, f.figure, f.counted::text, f.recounted::text
  FROM counted k FULL JOIN recount r ON r.country = k.country AND r.month = k.month
  CROSS JOIN LATERAL (VALUES
    ('objections', coalesce(k.objections, 0), coalesce(r.objections, 0)),
    ('withdrawals', coalesce(k.withdrawals, 0), coalesce(r.withdrawals, 0))
  ) AS f(figure, counted, recounted)
  WHERE f.counted <> f.recounted`;

export type TTransparencyDriftRow = { country: string; month: string; figure: string; counted: string; recounted: string };
