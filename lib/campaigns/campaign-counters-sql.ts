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
    (SELECT count(*) FROM "Objection" o JOIN "Notification" n ON n.id = o."notificationId" WHERE n."campaignId" = $1) AS objected,
    -- A member counts once, however many channels reached them.
    (SELECT count(DISTINCT n."memberId") FROM "Notification" n WHERE n."campaignId" = $1 AND ${reachedBySql("n")}) AS reached`;
