import "server-only";

import { supportedOrDefault } from "@/lib/i18n/locales";
import { translatorFor } from "@/lib/i18n/translator";
import { personalLinkUrl } from "@/lib/links/personal-link-url";
import { noLiveObjectionSql } from "@/lib/objections/live-objection";
import { pgPool } from "@/lib/pg";

export type TInAppNotice = { id: string; title: string; body: string; action: string; locale: string; url: string; createdAt: Date; seenAt: Date | null };

// One row for a known member (with no notice, or once they have objected, its notice columns are
// null), then one row per further notice. An objection under the member's address alone (made
// without a link, or imported) counts as theirs, as it does for the audience.
const NOTICES = `
  SELECT m.locale, n.id, n."createdAt", n."seenAt"
    FROM "Member" m
    LEFT JOIN LATERAL (
      SELECT n.id, n."createdAt", n."seenAt" FROM "Notification" n
       WHERE n."memberId" = m.id AND n.channel = 'in_app' AND ${noLiveObjectionSql("m")}
       ORDER BY n."createdAt" DESC
       LIMIT 50
    ) n ON true
   WHERE m."externalId" = $1`;

type TNoticeRow = { locale: string | null; id: string | null; createdAt: Date | null; seenAt: Date | null };

/**
 * The member's in-app notices, newest first, each whole in the member's language (title, body and
 * the button's label) with its personal link. A member who has objected is told nothing more.
 */
export const memberNotices = async (externalId: string): Promise<TInAppNotice[] | null> => {
  const { rows } = await pgPool().query<TNoticeRow>({ name: "member-notices", text: NOTICES, values: [externalId] });
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
