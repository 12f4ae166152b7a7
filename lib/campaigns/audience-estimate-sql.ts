import "server-only";

import { isLiveSql } from "@/lib/objections/live-objection";

/**
 * The console's instant audience estimate (lib/campaigns/audience-estimate.ts), from counters the
 * triggers keep, never from "Member", "Notification" or "Objection": a few rows per country and,
 * for the minors, the birth dates of the last 18 years, so it costs the same at 260 million members
 * as at 7. Parameters: $1 the countries (text[]), $2 the launch date (timestamptz), $3 a
 * follow-up's earlier campaign (uuid) or null.
 *
 * Per country: its members (DashboardMemberCounter), minus the minors (DashboardBirthCounter: born
 * after the UTC date 18 years before $2, eligibleMembersWhere's rule; everyone born before 2008 is
 * counted under 2008-01-01, never after that cutoff), minus the live objections
 * (DashboardObjectionCounter). The counters hold no member per objection, so the estimate is low by:
 * live objections without a member account (made under an address no member has, or imported for
 * one), a minor's live objection (subtracted twice), and a member with more than one live objection
 * (theirs and one under their address alone); and it is off by objections filed under another
 * country than the member's. A country never goes below zero.
 *
 * A follow-up tells the earlier campaign's members it did not reach: that campaign's audience
 * (its total) minus those it reached and those whose email is still queued (CampaignCounter, at
 * most 16 rows), and no more than the countries' eligible members. It leaves out that some of them
 * may since have objected, come of age or live elsewhere than the countries now chosen.
 */
export const AUDIENCE_ESTIMATE_SQL = `
  WITH countries AS (SELECT DISTINCT country FROM unnest($1::text[]::char(2)[]) AS c(country)),
  per_country AS (
    SELECT
      (SELECT coalesce(sum(k.count), 0) FROM "DashboardMemberCounter" k WHERE k.country = c.country)
      - (SELECT coalesce(sum(b.count), 0) FROM "DashboardBirthCounter" b
          WHERE b.country = c.country AND b."birthDate" > ($2::timestamptz AT TIME ZONE 'UTC')::date - interval '18 years')
      - (SELECT coalesce(sum(o.count), 0) FROM "DashboardObjectionCounter" o WHERE o.country = c.country AND ${isLiveSql("o")}) AS eligible
    FROM countries c
  ),
  eligible AS (SELECT coalesce(sum(greatest(eligible, 0)), 0) AS n FROM per_country),
  missed AS (
    SELECT greatest(c.total - coalesce(sum(k.reached), 0) - coalesce(sum(k.queued), 0), 0) AS n
    FROM "Campaign" c LEFT JOIN "CampaignCounter" k ON k."campaignId" = c.id
    WHERE c.id = $3::uuid GROUP BY c.id
  )
  SELECT (CASE WHEN $3::uuid IS NULL THEN e.n ELSE least(e.n, coalesce((SELECT n FROM missed), 0)) END)::text AS count
  FROM eligible e`;

export type TAudienceEstimateRow = { count: string };
