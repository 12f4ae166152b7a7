import "server-only";

import { db } from "@/lib/db";
import { translatorFor } from "@/lib/i18n/translator";
import { personalLinkUrl } from "@/lib/links/personal-link-url";

export type TInAppNotice = { id: string; title: string; body: string; url: string; createdAt: Date; seenAt: Date | null };

/** The member's in-app notices, newest first, in their language, each with its personal link. */
export const memberNotices = async (externalId: string): Promise<TInAppNotice[] | null> => {
  const member = await db().member.findUnique({
    where: { externalId },
    select: { locale: true, notifications: { where: { channel: "in_app" }, orderBy: { createdAt: "desc" }, take: 50, select: { id: true, createdAt: true, seenAt: true } } },
  });
  if (!member) return null;
  const t = translatorFor(member.locale);
  return member.notifications.map((notice) => ({
    id: notice.id,
    title: t("inApp.title"),
    body: t("inApp.body"),
    url: personalLinkUrl({ subject: { kind: "notification", id: notice.id } }),
    createdAt: notice.createdAt,
    seenAt: notice.seenAt,
  }));
};
