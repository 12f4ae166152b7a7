import "server-only";

import { supportedOrDefault } from "@/lib/i18n/locales";
import { translatorFor } from "@/lib/i18n/translator";
import { personalLinkUrl } from "@/lib/links/personal-link-url";
import { IN_APP_NOTICES_SQL, type TInAppNoticeRow } from "@/lib/notifications/notification-sql";
import { pgPool } from "@/lib/pg";

export type TInAppNotice = { id: string; title: string; body: string; action: string; locale: string; url: string; createdAt: Date; seenAt: Date | null };

/**
 * The member's in-app notice: the latest only (one notice per member, however many campaigns told
 * them), whole in the member's language (title, body and the button's label) with its personal
 * link; an empty list when there is none. A member who has objected is told nothing more.
 */
export const memberNotices = async (externalId: string): Promise<TInAppNotice[] | null> => {
  const { rows } = await pgPool().query<TInAppNoticeRow>(IN_APP_NOTICES_SQL, [externalId]);
  if (rows.length === 0) return null;
  const locale = supportedOrDefault(rows[0]!.locale);
  const t = translatorFor(locale);
  return rows.flatMap(({ id, createdAt, seenAt }) =>
    id && createdAt
      ? [
          {
            id,
            title: t("inApp.title"),
            body: t("inApp.body"),
            action: t("inApp.action"),
            locale,
            url: personalLinkUrl({ subject: { kind: "notification", id } }),
            createdAt,
            seenAt,
          },
        ]
      : [],
  );
};
