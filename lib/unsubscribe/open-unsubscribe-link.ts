import "server-only";

import { env } from "@/lib/env";
import { verifyLinkTokenFor } from "@/lib/links/token";
import { pgPool } from "@/lib/pg";

export const UNSUBSCRIBE_LINK_KINDS = ["unsubscribe"] as const;

export type TUnsubscribeLink = { notificationId: string; memberId: string; locale: string | null; stopped: boolean };

/**
 * Whom a "stop these emails" token is for, and whether their emails are stopped already (for any
 * reason). Null for a token that is tampered, expired, of another purpose (an objection link cannot
 * stop emails), or whose notification no longer exists. Reads only: GET must change nothing, as
 * mail scanners open every link they find.
 */
export const openUnsubscribeLink = async (token: string): Promise<TUnsubscribeLink | null> => {
  const verified = verifyLinkTokenFor({ token, secrets: env().LINK_SECRETS, kinds: UNSUBSCRIBE_LINK_KINDS });
  if (!verified.ok) return null;
  const { rows } = await pgPool().query<TUnsubscribeLink>(
    `SELECT n.id AS "notificationId", m.id AS "memberId", m.locale, s."memberId" IS NOT NULL AS stopped
       FROM "Notification" n JOIN "Member" m ON m.id = n."memberId" LEFT JOIN "EmailSuppression" s ON s."memberId" = m.id
      WHERE n.id = $1::uuid`,
    [verified.subject.id],
  );
  return rows[0] ?? null;
};
