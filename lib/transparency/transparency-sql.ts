// The transparency report's SQL (docs/transparency.md). The counters are kept by the triggers of
// migration transparency_counters; the export hours when a run is acknowledged
// (lib/exports/export-sql.ts ACKNOWLEDGE_RUN_SQL), which also keeps each key's median. Reading the
// report touches one row per (country, month, shard) and one median per (country, month): never a
// notice, an objection or the histogram.

/** The histogram's last bucket: an objection exported later than 90 days counts as 90 days. */
export const EXPORT_HOURS_CAP = 24 * 90;

/**
 * The figures of every country and month, newest month first, then by country code: the sum of
 * each key's shard rows, and its median hours to export (one row a key, kept by the
 * acknowledgement: refresh_transparency_medians in migration transparency_counters). A key whose
 * figures are all 0 has no row.
 */
export const REPORT_SQL = `
  WITH counters AS (
    SELECT country, month, sum("noticesSent") AS "noticesSent", sum(reached) AS reached, sum(objections) AS objections, sum(withdrawals) AS withdrawals
    FROM "TransparencyCounter" GROUP BY country, month
  )
  SELECT coalesce(c.country, m.country)::text AS country, to_char(coalesce(c.month, m.month), 'YYYY-MM') AS month,
    coalesce(c."noticesSent", 0)::text AS "noticesSent", coalesce(c.reached, 0)::text AS reached,
    coalesce(c.objections, 0)::text AS objections, coalesce(c.withdrawals, 0)::text AS withdrawals,
    coalesce(m.exported, 0)::text AS exported, m."medianHours"
  FROM counters c FULL JOIN "TransparencyExportMedian" m ON m.country = c.country AND m.month = c.month
  WHERE (coalesce(c."noticesSent", 0), coalesce(c.reached, 0), coalesce(c.objections, 0), coalesce(c.withdrawals, 0), coalesce(m.exported, 0)) <> (0, 0, 0, 0, 0)
  ORDER BY coalesce(c.month, m.month) DESC, 1`;

export type TReportRow = {
  country: string;
  month: string;
  noticesSent: string;
  reached: string;
  objections: string;
  withdrawals: string;
  exported: string;
  medianHours: number | null;
};

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

/**
 * Folds the shard rows of every month before the current one (UTC) into shard 0, keeping each
 * figure's sum: past months are rarely written, so after the nightly fold the report reads one row
 * per past key, and the current month's shards. Rows are locked in key order, the order the
 * triggers add in, so a fold and a trigger never wait on each other in opposite orders. A trigger
 * that adds to a row the fold deleted inserts it anew (ON CONFLICT re-checks), so nothing is lost.
 */
export const FOLD_TRANSPARENCY_SHARDS_SQL = `
  WITH locked AS (
    SELECT country, month, shard FROM "TransparencyCounter"
    WHERE month < transparency_month(now()) AND shard <> 0 ORDER BY country, month, shard FOR UPDATE
  ),
  folded AS (
    DELETE FROM "TransparencyCounter" k USING locked l WHERE (k.country, k.month, k.shard) = (l.country, l.month, l.shard)
    RETURNING k.country, k.month, k."noticesSent", k.reached, k.objections, k.withdrawals
  ),
  kept AS (
    INSERT INTO "TransparencyCounter" (country, month, shard, "noticesSent", reached, objections, withdrawals)
    SELECT country, month, 0, sum("noticesSent"), sum(reached), sum(objections), sum(withdrawals) FROM folded GROUP BY country, month ORDER BY country, month
    ON CONFLICT (country, month, shard) DO UPDATE SET
      "noticesSent" = "TransparencyCounter"."noticesSent" + EXCLUDED."noticesSent",
      reached = "TransparencyCounter".reached + EXCLUDED.reached,
      objections = "TransparencyCounter".objections + EXCLUDED.objections,
      withdrawals = "TransparencyCounter".withdrawals + EXCLUDED.withdrawals
  )
  SELECT count(*)::int AS folded FROM folded`;

export type TFoldedRow = { folded: number };
