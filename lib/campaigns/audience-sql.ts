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

/** The campaign the audience job computes, locked. */
export type TAudienceCampaignRow = { id: string; channels: string[]; countries: string[]; status: string; launchedAt: Date; audienceAt: Date | null; notReachedById: string | null };

export const LOCK_AUDIENCE_CAMPAIGN_SQL = `SELECT id, channels::text[] AS channels, countries, status, "launchedAt", "audienceAt", "notReachedById" FROM "Campaign" WHERE id = $1 FOR UPDATE`;

/** The audience's size $2 and email batches $3 on campaign $1: a campaign with nothing to send is done at once. */
export const RECORD_AUDIENCE_SQL = `
  UPDATE "Campaign" SET total = $2, "audienceAt" = now(), "updatedAt" = now(),
         status = CASE WHEN $3::int = 0 AND status = 'running' THEN 'done'::"CampaignStatus" ELSE status END,
         "completedAt" = CASE WHEN $3::int = 0 AND status = 'running' THEN now() ELSE "completedAt" END
   WHERE id = $1`;

/** How many members a launch now would reach: countries $1, launch date $2. */
export const AUDIENCE_SIZE_SQL = `SELECT count(*) AS count FROM "Member" m WHERE ${eligibleMembersWhere({ countries: "$1", at: "$2" })}`;

/** The same for a follow-up of campaign $3: only the members it did not reach. */
export const NOT_REACHED_AUDIENCE_SIZE_SQL = `${AUDIENCE_SIZE_SQL} AND ${notReachedByWhere("$3")}`;

export type TAudienceSizeRow = { count: string };
