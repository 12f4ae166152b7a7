import "server-only";

import { reachedBySql } from "@/lib/campaigns/reached-by-sql";

/** A campaign's progress figures: queued, sent and the rest, as the counters or a recount give them. */
export type TCampaignCountsRow = { queued: string; sent: string; failed: string; skipped: string; seen: string; clicked: string; objected: string; reached: string };

export type TCampaignProgressRow = TCampaignCountsRow & { status: string; failureReason: string | null; failedAt: Date | null; total: number };

/**
 * A campaign and its progress: the sum of its counter rows (at most 16, by the primary key), which
 * triggers keep in the transactions that change notifications and objections. It reads the same
 * few rows at 30 M recipients as at 30, while the campaign sends and after.
 */
export const CAMPAIGN_PROGRESS = `
  SELECT c.status, c."failureReason", c."failedAt", c.total,
    coalesce(sum(k.queued), 0) AS queued, coalesce(sum(k.sent), 0) AS sent, coalesce(sum(k.failed), 0) AS failed,
    coalesce(sum(k.skipped), 0) AS skipped, coalesce(sum(k.seen), 0) AS seen, coalesce(sum(k.clicked), 0) AS clicked,
    coalesce(sum(k.objected), 0) AS objected, coalesce(sum(k.reached), 0) AS reached
  FROM "Campaign" c LEFT JOIN "CampaignCounter" k ON k."campaignId" = c.id
  WHERE c.id = $1
  GROUP BY c.id`;

/**
 * The same figures counted from the rows: a scan of the campaign's notifications. Only for checking
 * the counters (tests, and the operator's check), never on a page or the API.
 */
export const CAMPAIGN_RECOUNT = `
  SELECT
    (SELECT count(*) FROM "Notification" n WHERE n."campaignId" = $1 AND n.channel = 'email' AND n.status = 'queued') AS queued,
    (SELECT count(*) FROM "Notification" n WHERE n."campaignId" = $1 AND n.channel = 'email' AND n.status IN ('sent', 'seen', 'clicked')) AS sent,
    (SELECT count(*) FROM "Notification" n WHERE n."campaignId" = $1 AND n.status = 'failed') AS failed,
    (SELECT count(*) FROM "Notification" n WHERE n."campaignId" = $1 AND n.status = 'skipped') AS skipped,
    (SELECT count(*) FROM "Notification" n WHERE n."campaignId" = $1 AND n."seenAt" IS NOT NULL) AS seen,
    (SELECT count(*) FROM "Notification" n WHERE n."campaignId" = $1 AND n."clickedAt" IS NOT NULL) AS clicked,
    (SELECT count(*) FROM "Objection" o WHERE o."campaignId" = $1) AS objected,
    -- A member counts once, however many channels reached them.
    (SELECT count(DISTINCT n."memberId") FROM "Notification" n WHERE n."campaignId" = $1 AND ${reachedBySql("n")}) AS reached`;

/** A figure whose counters and rows disagree: the campaign (null for the metrics' counters), which figure, and both values. */
export type TCounterDriftRow = { campaignId: string | null; figure: string; counted: string; recounted: string };

/**
 * Every counter against a recount of the rows, in one pass over each table: the campaigns'
 * progress and the metrics' objections by status and notices by outcome. Only the figures that
 * disagree come back. A whole-table read, so only the nightly check runs it (REPEATABLE READ: the
 * counters and the rows are read from one snapshot, so a write in between is no drift).
 */
export const COUNTER_DRIFT = `
  WITH recount AS (
    SELECT n."campaignId",
      count(*) FILTER (WHERE n.channel = 'email' AND n.status = 'queued') AS queued,
      count(*) FILTER (WHERE n.channel = 'email' AND n.status IN ('sent', 'seen', 'clicked')) AS sent,
      count(*) FILTER (WHERE n.status = 'failed') AS failed,
      count(*) FILTER (WHERE n.status = 'skipped') AS skipped,
      count(*) FILTER (WHERE n."seenAt" IS NOT NULL) AS seen,
      count(*) FILTER (WHERE n."clickedAt" IS NOT NULL) AS clicked,
      count(DISTINCT n."memberId") FILTER (WHERE ${reachedBySql("n")}) AS reached
    FROM "Notification" n WHERE n."campaignId" IS NOT NULL GROUP BY n."campaignId"
  ), objected AS (
    SELECT "campaignId", count(*) AS objected FROM "Objection" WHERE "campaignId" IS NOT NULL GROUP BY "campaignId"
  ), counted AS (
    SELECT "campaignId", sum(queued) AS queued, sum(sent) AS sent, sum(failed) AS failed, sum(skipped) AS skipped, sum(seen) AS seen,
      sum(clicked) AS clicked, sum(objected) AS objected, sum(reached) AS reached
    FROM "CampaignCounter" GROUP BY "campaignId"
  ), campaign_figures AS (
    SELECT c.id AS "campaignId", f.figure, f.counted, f.recounted
    FROM "Campaign" c
    LEFT JOIN counted k ON k."campaignId" = c.id
    LEFT JOIN recount r ON r."campaignId" = c.id
    LEFT JOIN objected o ON o."campaignId" = c.id
    CROSS JOIN LATERAL (VALUES
      ('queued', coalesce(k.queued, 0), coalesce(r.queued, 0)), ('sent', coalesce(k.sent, 0), coalesce(r.sent, 0)),
      ('failed', coalesce(k.failed, 0), coalesce(r.failed, 0)), ('skipped', coalesce(k.skipped, 0), coalesce(r.skipped, 0)),
      ('seen', coalesce(k.seen, 0), coalesce(r.seen, 0)), ('clicked', coalesce(k.clicked, 0), coalesce(r.clicked, 0)),
      ('objected', coalesce(k.objected, 0), coalesce(o.objected, 0)), ('reached', coalesce(k.reached, 0), coalesce(r.reached, 0))
    ) AS f(figure, counted, recounted)
  ), metric_figures AS (
    SELECT NULL::uuid AS "campaignId", 'objections_' || s.status AS figure, coalesce(k.n, 0) AS counted, coalesce(r.n, 0) AS recounted
    FROM unnest(enum_range(NULL::"ObjectionStatus")) AS s(status)
    LEFT JOIN (SELECT status, sum(count) AS n FROM "DashboardObjectionCounter" GROUP BY status) k ON k.status = s.status
    LEFT JOIN (SELECT status, count(*) AS n FROM "Objection" GROUP BY status) r ON r.status = s.status
    UNION ALL
    SELECT NULL, 'notices_' || o.outcome, coalesce(k.n, 0), coalesce(r.n, 0)
    FROM unnest(enum_range(NULL::"EmailOutcome")) AS o(outcome)
    LEFT JOIN (SELECT outcome, sum(count) AS n FROM "EmailCounter" WHERE kind = 'notice' GROUP BY outcome) k ON k.outcome = o.outcome
    LEFT JOIN (SELECT CASE WHEN status = 'failed' THEN 'failed' ELSE 'sent' END::"EmailOutcome" AS outcome, count(*) AS n FROM "Notification"
               WHERE channel = 'email' AND status IN ('sent', 'seen', 'clicked', 'failed') GROUP BY 1) r ON r.outcome = o.outcome
  )
  SELECT "campaignId", figure, counted::text, recounted::text FROM campaign_figures WHERE counted <> recounted
  UNION ALL
  SELECT "campaignId", figure, counted::text, recounted::text FROM metric_figures WHERE counted <> recounted`;
