import "server-only";

import { assertRole } from "@/lib/auth/admin-error";
import type { TAdminActor } from "@/lib/auth/roles";
import type { NotificationChannel, SuppressionReason } from "@/lib/generated/prisma/enums";
import { pgPool } from "@/lib/pg";
import type { TSuppressionFilters } from "@/lib/suppressions/schema";

export type TSuppressionRow = {
  memberId: string;
  externalId: string;
  reason: SuppressionReason;
  createdAt: Date;
  /** The notice that bounced, was reported, or whose "stop these emails" was pressed; null if unknown or deleted. */
  notice: { id: string; channel: NotificationChannel; campaignId: string | null; campaignName: string | null } | null;
};

type TListedRow = Omit<TSuppressionRow, "notice"> & { noticeId: string | null; channel: NotificationChannel | null; campaignId: string | null; campaignName: string | null };

export const SUPPRESSIONS_PAGE_SIZE = 50;

/**
 * Members whose emails are stopped (a hard bounce, a complaint, or "stop these emails"), a page at
 * a time. The only index on EmailSuppression is its primary key, memberId, so the keyset is the
 * member id: every page, the hundred-thousandth too, is a short walk of that index and three key
 * lookups per row. Newest first would need an index on ("createdAt", "memberId"); without it each
 * page would sort the whole table. Every role may read it: external ids, reasons and times, never
 * an address.
 */
export const listSuppressions = async ({ actor, filters, limit = SUPPRESSIONS_PAGE_SIZE }: { actor: TAdminActor; filters: TSuppressionFilters; limit?: number }) => {
  assertRole(actor, "viewer");
  const where: string[] = [];
  const values: unknown[] = [];
  if (filters.reason) {
    values.push(filters.reason);
    where.push(`s.reason = $${values.length}::"SuppressionReason"`);
  }
  if (filters.after) {
    values.push(filters.after);
    where.push(`s."memberId" > $${values.length}::uuid`);
  }
  values.push(limit + 1);
  const { rows } = await pgPool().query<TListedRow>(
    `SELECT s."memberId", m."externalId", s.reason, s."createdAt",
            n.id AS "noticeId", n.channel, n."campaignId", c.name AS "campaignName"
       FROM "EmailSuppression" s
       JOIN "Member" m ON m.id = s."memberId"
       LEFT JOIN "Notification" n ON n.id = s."notificationId"
       LEFT JOIN "Campaign" c ON c.id = n."campaignId"
      ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY s."memberId"
      LIMIT $${values.length}`,
    values,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    suppressions: page.map(({ noticeId, channel, campaignId, campaignName, ...row }): TSuppressionRow => ({
      ...row,
      notice: noticeId && channel ? { id: noticeId, channel, campaignId, campaignName } : null,
    })),
    nextCursor: rows.length > limit && last ? last.memberId : null,
  };
};
