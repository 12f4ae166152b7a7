import "server-only";

import { reachedBySql } from "@/lib/campaigns/reached-by-sql";
import { noLiveObjectionSql } from "@/lib/objections/live-objection";

/**
 * Who may be told, for members `m`: in the campaign's EEA countries (`countries`, a text[]
 * parameter), 18 or older on the launch date (`at`, a timestamptz parameter), no live objection:
 * neither on the account nor under its address alone (imported, or made without a link).
 * The one rule, shared by the audience job and the console's count before launch.
 */
export const eligibleMembersWhere = ({ countries, at }: { countries: string; at: string }) => `
  m.country = ANY(${countries}::text[])
    AND m."birthDate" <= (${at}::timestamptz AT TIME ZONE 'UTC')::date - interval '18 years'
    AND ${noLiveObjectionSql("m")}`;

// Eligible, and not already notified by this campaign on this channel; for email, not a member
// whose emails are stopped (a hard bounce, a complaint or "stop these emails"): in-app notices
// still reach them. Computed and inserted in one statement.
const insertAudience = (followUp: string) => `
  INSERT INTO "Notification" ("memberId", "campaignId", channel, status, batch, "sentAt")
  SELECT m.id, $1::uuid, $2::"NotificationChannel",
         CASE WHEN $2 = 'email' THEN 'queued' ELSE 'sent' END::"NotificationStatus",
         CASE WHEN $2 = 'email' THEN ((row_number() OVER (ORDER BY m.id)) - 1) / $5::int END,
         CASE WHEN $2 = 'email' THEN NULL ELSE now() END
  FROM "Member" m
  WHERE ${eligibleMembersWhere({ countries: "$3", at: "$4" })}
    AND NOT EXISTS (SELECT 1 FROM "Notification" n WHERE n."campaignId" = $1::uuid AND n."memberId" = m.id AND n.channel = $2::"NotificationChannel")
    AND ($2 <> 'email' OR NOT EXISTS (SELECT 1 FROM "EmailSuppression" s WHERE s."memberId" = m.id))${followUp}
  ON CONFLICT ("campaignId", "memberId", channel) DO NOTHING`;

export const INSERT_AUDIENCE_SQL = insertAudience("");

/**
 * A follow-up, for members `m` and an earlier campaign (a uuid parameter): only its members whom it
 * did not reach on any channel, every email failed or bounced (or none sent) and the in-app notice
 * never seen. A member whose email is still queued there may yet be reached, so is left out rather
 * than told twice. Shared by the audience job and the console's count before launch.
 */
export const notReachedByWhere = (earlier: string) => `
    EXISTS (SELECT 1 FROM "Notification" p WHERE p."campaignId" = ${earlier}::uuid AND p."memberId" = m.id)
    AND NOT EXISTS (
      SELECT 1 FROM "Notification" p WHERE p."campaignId" = ${earlier}::uuid AND p."memberId" = m.id
         AND (p.status = 'queued' OR ${reachedBySql("p")}))`;

export const INSERT_NOT_REACHED_AUDIENCE_SQL = insertAudience(`
    AND ${notReachedByWhere("$6")}`);

/**
 * For members `m`: another campaign (any but `campaign`, a uuid parameter or null for none) already
 * reached them (notification_reached), or has an email to them still queued, which will.
 * One probe of the ("memberId") index in each campaign's partition of Notification: a member has a
 * handful of notices, so it costs the same at 260 million members as at 7.
 */
export const alreadyReachedWhere = (campaign: string) => `
    EXISTS (SELECT 1 FROM "Notification" r WHERE r."memberId" = m.id AND (${campaign}::uuid IS NULL OR r."campaignId" <> ${campaign}::uuid)
       AND ((r.channel = 'email' AND r.status = 'queued') OR ${reachedBySql("r")}))`;

/** `onlyNotYetReached` ($7, a boolean): leave out members an earlier campaign already reached. */
const notYetReached = `
    AND (NOT $7::boolean OR NOT ${alreadyReachedWhere("$1")})`;

export const INSERT_AUDIENCE_NOT_YET_REACHED_SQL = insertAudience(`
    AND ($6::uuid IS NULL OR ${notReachedByWhere("$6")})${notYetReached}`);

/** The campaign the audience job computes, locked. */
export type TAudienceCampaignRow = {
  id: string;
  channels: string[];
  countries: string[];
  status: string;
  launchedAt: Date;
  audienceAt: Date | null;
  notReachedById: string | null;
  onlyNotYetReached: boolean;
};

export const LOCK_AUDIENCE_CAMPAIGN_SQL = `SELECT id, channels::text[] AS channels, countries, status, "launchedAt", "audienceAt", "notReachedById", "onlyNotYetReached" FROM "Campaign" WHERE id = $1 FOR UPDATE`;

/** The audience's size $2 and email batches $3 on campaign $1: a campaign with nothing to send is done at once. */
export const RECORD_AUDIENCE_SQL = `
  UPDATE "Campaign" SET total = $2, "audienceAt" = now(), "updatedAt" = now(),
         status = CASE WHEN $3::int = 0 AND status = 'running' THEN 'done'::"CampaignStatus" ELSE status END,
         "completedAt" = CASE WHEN $3::int = 0 AND status = 'running' THEN now() ELSE "completedAt" END
   WHERE id = $1`;

/**
 * The console's count before launch, in one pass: the audience as it stands ($3 a follow-up's earlier
 * campaign or null, $4 the campaign itself or null for a new one), and how many of it an earlier
 * campaign already reached: those "only those not yet reached" leaves out.
 */
export const AUDIENCE_PREVIEW_SQL = `
  SELECT count(*) AS count, count(*) FILTER (WHERE reached) AS "alreadyReached"
  FROM (
    SELECT ${alreadyReachedWhere("$4")} AS reached
    FROM "Member" m
    WHERE ${eligibleMembersWhere({ countries: "$1", at: "$2" })}
      AND ($3::uuid IS NULL OR ${notReachedByWhere("$3")})
  ) audience`;

export type TAudiencePreviewRow = { count: string; alreadyReached: string };

/**
 * Whether a campaign other than $1 (a uuid or null) reached anyone: its counters, at most 16 rows a
 * campaign, never the notifications.
 */
export const ANY_EARLIER_REACH_SQL = `SELECT EXISTS (SELECT 1 FROM "CampaignCounter" WHERE "campaignId" IS DISTINCT FROM $1::uuid AND reached > 0) AS any`;
