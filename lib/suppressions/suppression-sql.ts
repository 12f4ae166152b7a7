import "server-only";

import type { NotificationChannel, SuppressionReason } from "@/lib/generated/prisma/enums";

/** A suppression with its member's external id and the notice behind it (null columns when none). */
export type TListedSuppressionRow = {
  memberId: string;
  externalId: string;
  reason: SuppressionReason;
  createdAt: Date;
  noticeId: string | null;
  channel: NotificationChannel | null;
  campaignId: string | null;
  campaignName: string | null;
};

/**
 * A page of suppressions, newest first on the ("createdAt", "memberId") keyset: `where` holds
 * conditions on "EmailSuppression" s (their values bound by the caller), `limit` the placeholder
 * of the page size.
 */
export const listSuppressionsSql = ({ where, limit }: { where: string[]; limit: string }) => `
  SELECT s."memberId", m."externalId", s.reason, s."createdAt",
         n.id AS "noticeId", n.channel, n."campaignId", c.name AS "campaignName"
    FROM "EmailSuppression" s
    JOIN "Member" m ON m.id = s."memberId"
    LEFT JOIN "Notification" n ON n.id = s."notificationId"
    LEFT JOIN "Campaign" c ON c.id = n."campaignId"
   ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
   ORDER BY s."createdAt" DESC, s."memberId" DESC
   LIMIT ${limit}`;
