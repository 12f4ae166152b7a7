import "server-only";

import { assertRole, type TActor } from "@/lib/auth/actor";
import type { NotificationChannel, SuppressionReason } from "@/lib/generated/prisma/enums";
import { encodeTimeIdCursor } from "@/lib/pagination/time-id-cursor";
import { readOnReplica } from "@/lib/read-replica/read-on-replica";
import type { TSuppressionFilters } from "@/lib/suppressions/schema";
import { listSuppressionsSql, type TListedSuppressionRow } from "@/lib/suppressions/suppression-sql";

export type TSuppressionRow = {
  memberId: string;
  externalId: string;
  reason: SuppressionReason;
  createdAt: Date;
  /** The notice that bounced, was reported, or whose "stop these emails" was pressed; null if unknown or deleted. */
  notice: { id: string; channel: NotificationChannel; campaignId: string | null; campaignName: string | null } | null;
};

export const SUPPRESSIONS_PAGE_SIZE = 50;

/**
 * Members whose emails are stopped (a hard bounce, a complaint, or "stop these emails"), newest
 * first, a page at a time. The keyset is (createdAt, memberId), both descending, compared as one
 * row so that it is the index condition of ("createdAt" DESC, "memberId" DESC), or of (reason, …)
 * when filtered: every page, the hundred-thousandth too, is a short walk of that index from the
 * cursor and three key lookups per row, never a sort of the table. The member id orders the
 * suppressions of one millisecond (a bounce batch), so pages neither overlap nor skip; createdAt
 * is stored to the millisecond and the cursor carries it exactly. Every role may read it: external
 * ids, reasons and times, never an address. From the replica unless `primary`.
 */
export const listSuppressions = async ({ actor, filters, limit = SUPPRESSIONS_PAGE_SIZE, primary }: { actor: TActor; filters: TSuppressionFilters; limit?: number; primary?: boolean }) => {
  assertRole(actor, "viewer");
  const where: string[] = [];
  const values: unknown[] = [];
  if (filters.reason) {
    values.push(filters.reason);
    where.push(`s.reason = $${values.length}::"SuppressionReason"`);
  }
  if (filters.after) {
    values.push(filters.after.at, filters.after.id);
    where.push(`(s."createdAt", s."memberId") < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`);
  }
  values.push(limit + 1);
  const { rows } = await readOnReplica(({ pool }) => pool.query<TListedSuppressionRow>(listSuppressionsSql({ where, limit: `$${values.length}` }), values), { primary });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    suppressions: page.map(({ noticeId, channel, campaignId, campaignName, ...row }): TSuppressionRow => ({
      ...row,
      notice: noticeId && channel ? { id: noticeId, channel, campaignId, campaignName } : null,
    })),
    nextCursor: rows.length > limit && last ? encodeTimeIdCursor({ at: last.createdAt, id: last.memberId }) : null,
  };
};
