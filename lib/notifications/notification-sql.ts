import "server-only";

import type { NotificationBounce } from "@/lib/generated/prisma/enums";
import { noLiveObjectionSql } from "@/lib/objections/live-objection";

// One statement, so the status it writes is decided on the row as it is when the row is locked: a
// click that commits meanwhile is never turned back into `seen`. Only a notice that went out can
// be seen: a queued email stays queued (as `seen` it would never be sent), and a failed one stays
// failed. The first time counts; a clicked notice keeps `clicked` and gains its seenAt.
export const MARK_SEEN_SQL = `
  WITH marked AS (
    UPDATE "Notification"
       SET "seenAt" = now(),
           status = CASE WHEN status = 'sent' THEN 'seen'::"NotificationStatus" ELSE status END
     WHERE id = $1::uuid AND "seenAt" IS NULL AND status IN ('sent', 'clicked')
    RETURNING id
  )
  SELECT EXISTS (SELECT 1 FROM "Notification" WHERE id = $1::uuid) AS found`;

/** Whether notification $1 exists (seen now or before). */
export type TMarkSeenRow = { found: boolean };

// One row for a known member: their latest in-app notice, or null notice columns when they have
// none or have objected. One notice, not one per campaign: a member told by three campaigns sees the
// same notice once, the newest, whose link is as good as any. An objection under the member's
// address alone (made without a link, or imported) counts as theirs, as it does for the audience.
export const IN_APP_NOTICES_SQL = `
  SELECT m.locale, n.id, n."createdAt", n."seenAt"
    FROM "Member" m
    LEFT JOIN LATERAL (
      SELECT n.id, n."createdAt", n."seenAt" FROM "Notification" n
       WHERE n."memberId" = m.id AND n.channel = 'in_app' AND ${noLiveObjectionSql("m")}
       ORDER BY n."createdAt" DESC, n.id DESC
       LIMIT 1
    ) n ON true
   WHERE m."externalId" = $1`;

export type TInAppNoticeRow = { locale: string | null; id: string | null; createdAt: Date | null; seenAt: Date | null };

// One row for a known member with no notice (its notice columns null), else one row per notice.
// Unlike the in-app feed, an objection hides nothing here: this is the record of who was told.
// No address is selected, so none can leak into the answer; the relay's reply and the bounce's
// diagnostic are stored without one.
const history = (key: "externalId" | "memberId") => `
  SELECT m.id AS "memberId", m."externalId", s.reason AS "suppressionReason", s."createdAt" AS "suppressedAt",
         s."notificationId" AS "suppressionNotificationId",
         n.id, n.channel, n."campaignId", c.name AS "campaignName", n."noticeVersion", n.locale,
         n."createdAt", n."sentAt", n."relayReply", n.status, n."bounceKind", n."bounceStatus", n."bouncedAt",
         n."bounceDiagnostic", n."softBounces", n."delayStatus", n."delayedAt", n."seenAt", n."clickedAt"
    FROM "Member" m
    LEFT JOIN "EmailSuppression" s ON s."memberId" = m.id
    LEFT JOIN "Notification" n ON n."memberId" = m.id
    LEFT JOIN "Campaign" c ON c.id = n."campaignId"
   WHERE ${key === "externalId" ? `m."externalId" = $1` : `m.id = $1::uuid`}
   ORDER BY n."createdAt" DESC NULLS LAST, n.id DESC`;

export const MEMBER_NOTICE_HISTORY_SQL = { externalId: history("externalId"), memberId: history("memberId") } as const;

export type TNoticeHistoryRow = {
  memberId: string;
  externalId: string;
  suppressionReason: "hard_bounce" | "complaint" | "unsubscribe" | null;
  suppressedAt: Date | null;
  suppressionNotificationId: string | null;
  id: string | null;
  channel: "email" | "in_app" | null;
  campaignId: string | null;
  campaignName: string | null;
  noticeVersion: string | null;
  locale: string | null;
  createdAt: Date | null;
  sentAt: Date | null;
  relayReply: string | null;
  status: "queued" | "sent" | "failed" | "seen" | "clicked" | "skipped" | null;
  bounceKind: NotificationBounce | null;
  bounceStatus: string | null;
  bouncedAt: Date | null;
  bounceDiagnostic: string | null;
  softBounces: number | null;
  delayStatus: string | null;
  delayedAt: Date | null;
  seenAt: Date | null;
  clickedAt: Date | null;
};
