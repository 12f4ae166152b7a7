import "server-only";

// What waits for a person, counted on every view of the dashboard. Each count reads at most $1
// entries of a partial index that holds only what waits (migration needs_attention_and_not_yet_reached):
// its cost is bounded by $1, not by how many objections or campaigns there are. The predicates are
// those of the indexes, word for word, so the planner uses them.
export const NEEDS_ATTENTION_SQL = `
  SELECT
    (SELECT count(*) FROM (SELECT 1 FROM "Objection" WHERE "rejectionRequestedAt" IS NOT NULL AND "status" = 'effective' LIMIT $1) x) AS "rejectionsPending",
    (SELECT count(*) FROM (SELECT 1 FROM "Objection" WHERE "memberId" IS NULL AND "status" = 'effective' LIMIT $1) x) AS unmatched,
    (SELECT count(*) FROM (SELECT 1 FROM "Campaign" WHERE "status" IN ('paused', 'failed') LIMIT $1) x) AS campaigns,
    (SELECT count(*) FROM (SELECT 1 FROM "Campaign" WHERE "status" = 'failed' LIMIT $1) x) AS "campaignsFailed",
    pauses.count AS "domainsPaused", pauses.campaigns AS "domainPauseCampaigns"
  FROM (
    -- Paused domains of campaigns still sending (a domain's emails stay queued while it is paused).
    SELECT count(*) AS count, array_agg(DISTINCT p."campaignId"::text) AS campaigns
    FROM (
      SELECT d."campaignId" FROM "CampaignDomainPause" d JOIN "Campaign" c ON c.id = d."campaignId"
      WHERE c.status <> 'done' LIMIT $1
    ) p
  ) pauses`;

/** Counts arrive as text (bigint); `domainPauseCampaigns` is null when no domain is paused. */
export type TNeedsAttentionRow = {
  rejectionsPending: string;
  unmatched: string;
  campaigns: string;
  campaignsFailed: string;
  domainsPaused: string;
  domainPauseCampaigns: string[] | null;
};
