import "server-only";

import { pgPool } from "@/lib/pg";

export type TNoticeRecord = {
  id: string;
  channel: "email" | "in_app";
  campaign: { id: string; name: string } | null;
  noticeVersion: string | null;
  locale: string | null;
  createdAt: Date;
  sentAt: Date | null;
  relayReply: string | null;
  status: "queued" | "sent" | "failed" | "seen" | "clicked" | "skipped";
  bounce: { kind: "hard" | "complaint"; status: string | null; at: Date | null } | null;
  seenAt: Date | null;
  clickedAt: Date | null;
};

export type TMemberNoticeHistory = {
  externalId: string;
  suppression: { reason: "hard_bounce" | "complaint" | "unsubscribe"; at: Date } | null;
  notices: TNoticeRecord[];
};

// One row for a known member with no notice (its notice columns null), else one row per notice.
// Unlike the in-app feed, an objection hides nothing here: this is the record of who was told.
// No address is selected, so none can leak into the answer; the relay's reply is stored without one.
const HISTORY = `
  SELECT m."externalId", s.reason AS "suppressionReason", s."createdAt" AS "suppressedAt",
         n.id, n.channel, n."campaignId", c.name AS "campaignName", n."noticeVersion", n.locale,
         n."createdAt", n."sentAt", n."relayReply", n.status, n."bounceKind", n."bounceStatus", n."bouncedAt",
         n."seenAt", n."clickedAt"
    FROM "Member" m
    LEFT JOIN "EmailSuppression" s ON s."memberId" = m.id
    LEFT JOIN "Notification" n ON n."memberId" = m.id
    LEFT JOIN "Campaign" c ON c.id = n."campaignId"
   WHERE m."externalId" = $1
   ORDER BY n."createdAt" DESC NULLS LAST, n.id DESC`;

type THistoryRow = {
  externalId: string;
  suppressionReason: "hard_bounce" | "complaint" | "unsubscribe" | null;
  suppressedAt: Date | null;
  id: string | null;
  channel: TNoticeRecord["channel"] | null;
  campaignId: string | null;
  campaignName: string | null;
  noticeVersion: string | null;
  locale: string | null;
  createdAt: Date | null;
  sentAt: Date | null;
  relayReply: string | null;
  status: TNoticeRecord["status"] | null;
  bounceKind: "hard" | "complaint" | null;
  bounceStatus: string | null;
  bouncedAt: Date | null;
  seenAt: Date | null;
  clickedAt: Date | null;
};

/**
 * Proof of notice for one member: every notice, newest first, on which channel, from which
 * campaign, which version, when it was sent and what the relay answered, whether it bounced, was
 * seen or clicked; and whether their emails are stopped. Null for an unknown member.
 */
export const memberNoticeHistory = async (externalId: string): Promise<TMemberNoticeHistory | null> => {
  const { rows } = await pgPool().query<THistoryRow>({ name: "member-notice-history", text: HISTORY, values: [externalId] });
  const first = rows[0];
  if (!first) return null;
  return {
    externalId: first.externalId,
    suppression: first.suppressionReason && first.suppressedAt ? { reason: first.suppressionReason, at: first.suppressedAt } : null,
    notices: rows.flatMap((row) =>
      row.id && row.channel && row.status && row.createdAt
        ? [
            {
              id: row.id,
              channel: row.channel,
              campaign: row.campaignId ? { id: row.campaignId, name: row.campaignName ?? "" } : null,
              noticeVersion: row.noticeVersion,
              locale: row.locale,
              createdAt: row.createdAt,
              sentAt: row.sentAt,
              relayReply: row.relayReply,
              status: row.status,
              bounce: row.bounceKind ? { kind: row.bounceKind, status: row.bounceStatus, at: row.bouncedAt } : null,
              seenAt: row.seenAt,
              clickedAt: row.clickedAt,
            },
          ]
        : [],
    ),
  };
};
