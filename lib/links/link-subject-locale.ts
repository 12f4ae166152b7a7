import "server-only";

import { cache } from "react";

import { env } from "@/lib/env";
import { LINK_SUBJECT_LOCALE_SQL, type TLinkSubjectLocaleRow } from "@/lib/links/link-sql";
import { PERSONAL_LINK_KINDS } from "@/lib/links/open-personal-link";
import { STATUS_LINK_KINDS } from "@/lib/links/status-link-url";
import { verifyLinkTokenFor } from "@/lib/links/token";
import { pgPool } from "@/lib/pg";
import { UNSUBSCRIBE_LINK_KINDS } from "@/lib/unsubscribe/open-unsubscribe-link";

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
  const { rows } = await pgPool().query<TLinkSubjectLocaleRow>(LINK_SUBJECT_LOCALE_SQL, [verified.subject.kind, verified.subject.id]);
  return rows[0]?.locale ?? null;
});
