import "server-only";

import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { ObjectionSource } from "@/lib/generated/prisma/client";
import { verifyLinkToken } from "@/lib/links/token";

export type TPersonalLink = {
  member: { id: string; email: string; country: string; locale: string | null };
  notificationId: string | null;
  source: ObjectionSource;
};

export type TResolvedLink = { ok: true; link: TPersonalLink } | { ok: false; reason: "malformed" | "bad_signature" | "expired" | "unknown" };

const memberFields = { id: true, email: true, country: true, locale: true } as const;

/** Verifies a `/o/<token>` token and loads whom it is for. Never throws for a bad token. */
export const resolvePersonalLink = async (token: string): Promise<TResolvedLink> => {
  const verified = verifyLinkToken({ token, secret: env().LINK_SECRET });
  if (!verified.ok) return verified;

  const { kind, id } = verified.subject;
  if (kind === "member") {
    const member = await db().member.findUnique({ where: { id }, select: memberFields });
    return member ? { ok: true, link: { member, notificationId: null, source: "direct" } } : { ok: false, reason: "unknown" };
  }

  const notification = await db().notification.findUnique({ where: { id }, select: { id: true, channel: true, member: { select: memberFields } } });
  if (!notification) return { ok: false, reason: "unknown" };
  return {
    ok: true,
    link: { member: notification.member, notificationId: notification.id, source: notification.channel === "in_app" ? "in_app_link" : "email_link" },
  };
};
