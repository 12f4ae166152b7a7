import "server-only";

import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { verifyLinkTokenFor } from "@/lib/links/token";

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
  // By id alone (the token names no campaign): one index probe a partition.
  const notification = await db().notification.findFirst({
    where: { id: verified.subject.id },
    select: { id: true, member: { select: { id: true, locale: true, suppression: { select: { memberId: true } } } } },
  });
  if (!notification) return null;
  return { notificationId: notification.id, memberId: notification.member.id, locale: notification.member.locale, stopped: notification.member.suppression !== null };
};
