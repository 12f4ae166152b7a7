import "server-only";

import { cache } from "react";

import { env } from "@/lib/env";
import { PERSONAL_LINK_KINDS } from "@/lib/links/open-personal-link";
import { STATUS_LINK_KINDS } from "@/lib/links/status-link-url";
import { verifyLinkTokenFor } from "@/lib/links/token";
import { pgPool } from "@/lib/pg";
import { UNSUBSCRIBE_LINK_KINDS } from "@/lib/unsubscribe/open-unsubscribe-link";

// The member's locale, else the one the /object request was made in (an address link). A status
// link reads its objection's member; an objection kept under an address alone has no locale.
const SUBJECT_LOCALE_SQL = `
  SELECT m.locale FROM "Notification" n JOIN "Member" m ON m.id = n."memberId" WHERE $1::text IN ('notification', 'unsubscribe') AND n.id = $2::uuid
  UNION ALL
  SELECT m.locale FROM "Member" m WHERE $1::text = 'member' AND m.id = $2::uuid
  UNION ALL
  SELECT a.locale FROM "AddressLink" a WHERE $1::text = 'address' AND a.id = $2::uuid
  UNION ALL
  SELECT m.locale FROM "Objection" o JOIN "Member" m ON m.id = o."memberId" WHERE $1::text = 'objection' AND o.id = $2::uuid
  LIMIT 1`;

const LINK_PAGE = /^\/(o|s|u)\/([^/]+)$/;

const LINK_KINDS = { o: PERSONAL_LINK_KINDS, s: STATUS_LINK_KINDS, u: UNSUBSCRIBE_LINK_KINDS } as const;

/**
 * The locale of whom a page's link is for (`/o/<token>`, `/s/<token>`, `/u/<token>`), or null: another page, a
 * link that cannot be used, or no locale known. Once per request, however many components ask.
 */
export const linkSubjectLocale = cache(async (pathname: string): Promise<string | null> => {
  const [, area, token = ""] = LINK_PAGE.exec(pathname) ?? [];
  if (!area) return null;
  const verified = verifyLinkTokenFor({ token, secrets: env().LINK_SECRETS, kinds: LINK_KINDS[area as keyof typeof LINK_KINDS] });
  if (!verified.ok) return null;
  const { rows } = await pgPool().query<{ locale: string | null }>({ name: "link-subject-locale", text: SUBJECT_LOCALE_SQL, values: [verified.subject.kind, verified.subject.id] });
  return rows[0]?.locale ?? null;
});
