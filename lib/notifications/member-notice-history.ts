import "server-only";

import type pg from "pg";

import type { NotificationBounce } from "@/lib/generated/prisma/enums";
import { MEMBER_NOTICE_HISTORY_SQL, type TNoticeHistoryRow } from "@/lib/notifications/notification-sql";
import { pgPool } from "@/lib/pg";
import { readOnReplica } from "@/lib/read-replica/read-on-replica";

export type TSuppressionReason = NonNullable<TNoticeHistoryRow["suppressionReason"]>;

export type TNoticeRecord = {
  id: string;
  channel: NonNullable<TNoticeHistoryRow["channel"]>;
  campaign: { id: string; name: string };
  noticeVersion: string | null;
  locale: string | null;
  createdAt: Date;
  sentAt: Date | null;
  relayReply: string | null;
  status: NonNullable<TNoticeHistoryRow["status"]>;
  bounce: { kind: NotificationBounce; status: string | null; at: Date | null } | null;
  /** The last "still trying" warning a relay sent back; it is no bounce. */
  delay: { status: string; at: Date } | null;
  seenAt: Date | null;
  clickedAt: Date | null;
};

/** The API's answer: its shape is the OpenAPI document's MemberNoticeHistory, nothing more. */
export type TMemberNoticeHistory = {
  externalId: string;
  suppression: { reason: TSuppressionReason; at: Date } | null;
  notices: TNoticeRecord[];
};

/** A notice as the console shows it: the API's record plus the bounce's diagnostic and the soft bounces so far. */
export type TMemberNotice = Omit<TNoticeRecord, "bounce"> & {
  bounce: (NonNullable<TNoticeRecord["bounce"]> & { diagnostic: string | null }) | null;
  softBounces: number;
};

export type TMemberNotices = {
  memberId: string;
  externalId: string;
  suppression: { reason: TSuppressionReason; at: Date; notificationId: string | null } | null;
  notices: TMemberNotice[];
};

/**
 * Every notice of one member, newest first, as the console shows it: on which channel, from which
 * campaign, which version, when it was sent and what the relay answered, whether and how it
 * bounced, was seen or clicked; and whether their emails are stopped, and by which notice. Found by
 * external id (the API) or by member id (the console; the caller checks it is a uuid). Null for an
 * unknown member. On `pool`: the API hands it the replica's.
 */
export const memberNoticeRecords = async (member: { externalId: string } | { memberId: string }, pool: Pick<pg.Pool, "query"> = pgPool()): Promise<TMemberNotices | null> => {
  const key = "externalId" in member ? "externalId" : "memberId";
  const value = "externalId" in member ? member.externalId : member.memberId;
  const { rows } = await pool.query<TNoticeHistoryRow>(MEMBER_NOTICE_HISTORY_SQL[key], [value]);
  const first = rows[0];
  if (!first) return null;
  return {
    memberId: first.memberId,
    externalId: first.externalId,
    suppression: first.suppressionReason && first.suppressedAt ? { reason: first.suppressionReason, at: first.suppressedAt, notificationId: first.suppressionNotificationId } : null,
    notices: rows.flatMap((row) =>
      row.id && row.channel && row.status && row.createdAt && row.campaignId
        ? [
            {
              id: row.id,
              channel: row.channel,
              campaign: { id: row.campaignId, name: row.campaignName ?? "" },
              noticeVersion: row.noticeVersion,
              locale: row.locale,
              createdAt: row.createdAt,
              sentAt: row.sentAt,
              relayReply: row.relayReply,
              status: row.status,
              bounce: row.bounceKind ? { kind: row.bounceKind, status: row.bounceStatus, at: row.bouncedAt, diagnostic: row.bounceDiagnostic } : null,
              delay: row.delayStatus && row.delayedAt ? { status: row.delayStatus, at: row.delayedAt } : null,
              softBounces: row.softBounces ?? 0,
              seenAt: row.seenAt,
              clickedAt: row.clickedAt,
            },
          ]
        : [],
    ),
  };
};

/**
 * Proof of notice for one member, as the API answers it: every notice, newest first, and whether
 * their emails are stopped. The fields are picked one by one so that what the console reads in
 * addition never widens the documented answer. Null for an unknown member. From the replica when
 * there is one (lib/read-replica/read-on-replica.ts).
 */
export const memberNoticeHistory = async (externalId: string): Promise<TMemberNoticeHistory | null> => {
  const found = await readOnReplica(({ pool }) => memberNoticeRecords({ externalId }, pool));
  if (!found) return null;
  return {
    externalId: found.externalId,
    suppression: found.suppression ? { reason: found.suppression.reason, at: found.suppression.at } : null,
    notices: found.notices.map((notice) => ({
      id: notice.id,
      channel: notice.channel,
      campaign: notice.campaign,
      noticeVersion: notice.noticeVersion,
      locale: notice.locale,
      createdAt: notice.createdAt,
      sentAt: notice.sentAt,
      relayReply: notice.relayReply,
      status: notice.status,
      bounce: notice.bounce ? { kind: notice.bounce.kind, status: notice.bounce.status, at: notice.bounce.at } : null,
      delay: notice.delay,
      seenAt: notice.seenAt,
      clickedAt: notice.clickedAt,
    })),
  };
};
