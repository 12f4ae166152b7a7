import "server-only";

import { recipientDomainSql } from "@/lib/bounces/domain-pause-sql";
import { noLiveObjectionSql } from "@/lib/objections/live-objection";

// The send job's statements (lib/campaigns/send-campaign-batch.ts), with the row type they return.

/**
 * `skip` is set when the claim itself marked the row skipped (an objection, or emails stopped);
 * `release` when the row was read as one to skip, so took no budget, but is sendable now: it is
 * left queued, for a later chunk to take budget for it.
 */
export type TClaimedRow = { id: string; email: string; locale: string | null; attempts: number; skip: boolean; release: boolean };

/**
 * A recipient domain the campaign ($1) paused for its policy rejections gets nothing: its emails
 * stay queued until an admin resumes the domain (lib/campaigns/resume-domain.ts).
 */
const NOT_PAUSED = `NOT EXISTS (SELECT 1 FROM "CampaignDomainPause" p WHERE p."campaignId" = $1 AND p.domain = ${recipientDomainSql("m")})`;

// Row locks (FOR UPDATE SKIP LOCKED) make concurrent jobs for one batch safe: each row is sent by
// whichever transaction locked it; a crash rolls the claim back and the rows are queued again.
// The same statement checks each member again for a live objection (the audience's rule): one who
// objected since the launch is marked `skipped` (skipReason `objected`) instead of being sent the
// rest of the campaign. So is one whose emails were stopped since (skipReason `suppressed`, with
// the suppression's reason: a hard bounce, a complaint or "stop these emails"): the suppression is
// read here, at send time, not only when the audience was computed. A row the PEEK read as one to
// skip ($6) that is sendable now (the objection was withdrawn in between) was given no budget: it
// is returned as `release`, not sent, and stays queued.
export const CLAIM = `
  WITH claimed AS (
    SELECT n.id, m.email, m.locale, n.attempts,
      CASE WHEN NOT (${noLiveObjectionSql("m")}) THEN 'objected'
           WHEN s.reason IS NOT NULL THEN 'suppressed' END::"NotificationSkipReason" AS "skipReason",
      s.reason AS "suppressionReason"
    FROM "Notification" n JOIN "Member" m ON m.id = n."memberId"
      LEFT JOIN "EmailSuppression" s ON s."memberId" = m.id
    WHERE n."campaignId" = $1 AND n.batch = $2 AND n.status = 'queued' AND n.channel = 'email'
      AND NOT (n.id = ANY($3::uuid[])) AND ($5::uuid[] IS NULL OR n.id = ANY($5::uuid[])) AND ${NOT_PAUSED}
    ORDER BY n.id
    LIMIT $4
    FOR UPDATE OF n SKIP LOCKED
  ), skipped AS (
    UPDATE "Notification" n SET status = 'skipped', "skipReason" = c."skipReason",
        "suppressionReason" = CASE WHEN c."skipReason" = 'suppressed' THEN c."suppressionReason" END
      FROM claimed c WHERE n."campaignId" = $1 AND n.id = c.id AND c."skipReason" IS NOT NULL
  )
  SELECT id, email, locale, attempts, "skipReason" IS NOT NULL AS skip, ("skipReason" IS NULL AND id = ANY($6::uuid[])) AS release FROM claimed`;

// With MAIL_DOMAIN_RATES, the next chunk is read first, without locks, so that each paced domain's
// budget is taken before the chunk's transaction starts (that transaction holds a connection and
// asks for no second one); the claim then takes only those rows. Domains whose budget is spent
// ($5) are left out, so the other domains' emails go on. A domain is the address's part after its
// last @, lower-cased, matched exactly. A row the claim will skip (an objection, emails stopped)
// spends no budget.
export const PEEK = `
  SELECT n.id, ${recipientDomainSql("m")} AS domain,
    (NOT (${noLiveObjectionSql("m")}) OR EXISTS (SELECT 1 FROM "EmailSuppression" s WHERE s."memberId" = m.id)) AS skip
  FROM "Notification" n JOIN "Member" m ON m.id = n."memberId"
  WHERE n."campaignId" = $1 AND n.batch = $2 AND n.status = 'queued' AND n.channel = 'email'
    AND NOT (n.id = ANY($3::uuid[]))
    AND NOT (${recipientDomainSql("m")} = ANY($5::text[])) AND ${NOT_PAUSED}
  ORDER BY n.id
  LIMIT $4`;

/** Whether the batch has an email left to send now or later (a 4xx to retry aside, and paused domains' emails). */
export const ANY_LEFT = `
  SELECT EXISTS (
    SELECT 1 FROM "Notification" n JOIN "Member" m ON m.id = n."memberId"
    WHERE n."campaignId" = $1 AND n.batch = $2 AND n.status = 'queued' AND n.channel = 'email' AND NOT (n.id = ANY($3::uuid[])) AND ${NOT_PAUSED}) AS "left"`;

// One statement per chunk for what was sent, proof of notice included: which language and notice,
// and what the relay said. $1 ids, $2 locales, $3 notice versions, $4 relay replies, $5 the campaign.
// Naming the campaign, as every statement of the send path does, keeps it in the campaign's
// partition of Notification; by id alone it would probe every partition's index.
export const RECORD_SENT = `
  UPDATE "Notification" n SET status = 'sent', "sentAt" = now(), attempts = n.attempts + 1, "lastError" = NULL,
    locale = s.locale, "noticeVersion" = s.version, "relayReply" = s.reply
  FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS s(id, locale, version, reply)
  WHERE n."campaignId" = $5 AND n.id = s.id`;

// One statement per chunk for what failed ($1 ids, $2 kinds, $3 errors; $4 the attempts that fail a
// recipient; $5 the campaign). A connection failure says nothing about the recipient: it costs the notification no attempt.
export const RECORD_FAILURES = `
  UPDATE "Notification" n SET
    attempts = n.attempts + CASE WHEN f.kind = 'connection' THEN 0 ELSE 1 END,
    "lastError" = f.error,
    status = CASE
      WHEN f.kind = 'permanent' THEN 'failed'
      WHEN f.kind = 'recipient_transient' AND n.attempts + 1 >= $4 THEN 'failed'
      ELSE 'queued' END::"NotificationStatus"
  FROM unnest($1::uuid[], $2::text[], $3::text[]) AS f(id, kind, error)
  WHERE n."campaignId" = $5 AND n.id = f.id`;

/** The campaign's status ($1), read before each chunk: a paused campaign stops. */
export const CAMPAIGN_STATUS = `SELECT status FROM "Campaign" WHERE id = $1`;

/** Marks the campaign ($1) done once no email is left queued. */
export const COMPLETE_IF_DONE = `
  UPDATE "Campaign" SET status = 'done', "completedAt" = now(), "updatedAt" = now()
  WHERE id = $1 AND status = 'running' AND "audienceAt" IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM "Notification" WHERE "campaignId" = $1 AND status = 'queued' AND channel = 'email')`;

/** A row of PEEK: a notification of the next chunk, its recipient's domain, and whether the claim will skip it. */
export type TPeekRow = { id: string; domain: string; skip: boolean };
