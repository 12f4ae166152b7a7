import "server-only";

import { db } from "@/lib/db";
import { supportedOrDefault } from "@/lib/i18n/locales";
import { translatorFor } from "@/lib/i18n/translator";
import { personalLinkUrl } from "@/lib/links/personal-link-url";

export type TInAppNotice = { id: string; title: string; body: string; action: string; locale: string; url: string; createdAt: Date; seenAt: Date | null };

/**
 * The member's in-app notices, newest first, each whole in the member's language (title, body and
 * the button's label) with its personal link. A member who has objected is told nothing more.
 */
export const memberNotices = async (externalId: string): Promise<TInAppNotice[] | null> => {
  const member = await db().member.findUnique({
    where: { externalId },
    select: {
      locale: true,
      objections: { where: { status: "effective" }, take: 1, select: { id: true } },
      notifications: { where: { channel: "in_app" }, orderBy: { createdAt: "desc" }, take: 50, select: { id: true, createdAt: true, seenAt: true } },
    },
  });
  if (!member) return null;
  if (member.objections.length > 0) return [];
  const locale = supportedOrDefault(member.locale);
  const t = translatorFor(locale);
  return member.notifications.map((notice) => ({
    id: notice.id,
    title: t("inApp.title"),
    body: t("inApp.body"),
    action: t("inApp.action"),
    locale,
    url: personalLinkUrl({ subject: { kind: "notification", id: notice.id } }),
    createdAt: notice.createdAt,
    seenAt: notice.seenAt,
  }));
};
