import "server-only";

import { enqueueBatches } from "@/lib/campaigns/enqueue-batches";
import { reachedBySql } from "@/lib/campaigns/reached-by-sql";
import { env } from "@/lib/env";
import { jobs } from "@/lib/jobs";
import { EEA_COUNTRIES } from "@/lib/members/eea-countries";
import { noLiveObjectionSql } from "@/lib/objections/live-objection";
import { inTransaction } from "@/lib/pg";

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

const INSERT_AUDIENCE = insertAudience("");

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

const INSERT_NOT_REACHED_AUDIENCE = insertAudience(`
    AND ${notReachedByWhere("$6")}`);

type TCampaignRow = { id: string; channels: string[]; countries: string[]; status: string; launchedAt: Date; audienceAt: Date | null; notReachedById: string | null };

/**
 * The audience job: creates every notification and every send job in one transaction, so a crash
 * leaves either nothing (and the job runs again) or everything. A follow-up (its `notReachedById`,
 * an earlier campaign) tells only the members that campaign did not reach.
 */
export const computeAudience = async ({ campaignId }: { campaignId: string }) => {
  const boss = await jobs();
  return inTransaction(
    async (client) => {
      const { rows } = await client.query<TCampaignRow>(
        `SELECT id, channels::text[] AS channels, countries, status, "launchedAt", "audienceAt", "notReachedById" FROM "Campaign" WHERE id = $1 FOR UPDATE`,
        [campaignId],
      );
      const campaign = rows[0];
      if (!campaign || campaign.audienceAt || !campaign.launchedAt) return { total: 0, batches: 0 };

      const countries = campaign.countries.length > 0 ? campaign.countries : [...EEA_COUNTRIES];
      const batchSize = env().CAMPAIGN_BATCH_SIZE;
      let total = 0;
      let batches = 0;
      for (const channel of campaign.channels) {
        const inserted = campaign.notReachedById
          ? await client.query(INSERT_NOT_REACHED_AUDIENCE, [campaignId, channel, countries, campaign.launchedAt, batchSize, campaign.notReachedById])
          : await client.query(INSERT_AUDIENCE, [campaignId, channel, countries, campaign.launchedAt, batchSize]);
        total = Math.max(total, inserted.rowCount ?? 0);
        if (channel === "email") batches = Math.ceil((inserted.rowCount ?? 0) / batchSize);
      }
      await enqueueBatches({ boss, client, campaignId, batches: Array.from({ length: batches }, (_, batch) => batch) });
      await client.query(
        `UPDATE "Campaign" SET total = $2, "audienceAt" = now(), "updatedAt" = now(),
           status = CASE WHEN $3::int = 0 AND status = 'running' THEN 'done'::"CampaignStatus" ELSE status END,
           "completedAt" = CASE WHEN $3::int = 0 AND status = 'running' THEN now() ELSE "completedAt" END
         WHERE id = $1`,
        [campaignId, total, batches],
      );
      return { total, batches };
    },
    { isolation: "REPEATABLE READ" },
  );
};
