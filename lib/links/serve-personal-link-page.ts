import "server-only";

import type { NextRequest } from "next/server";

import { LINK_HOLDER } from "@/lib/auth/actor";
import { outagePageResponse } from "@/lib/html/outage-page";
import { LOCALE_COOKIE, resolveLocale } from "@/lib/i18n/resolve-locale";
import { cachedPageRender, loopbackOrigin } from "@/lib/links/cached-page-render";
import { lightFormPage } from "@/lib/links/light-form-page";
import { fillLinkPageTemplate, signTemplateRequest, TEMPLATE_HEADER, TEMPLATE_TOKEN } from "@/lib/links/link-page-template";
import { openPersonalLink } from "@/lib/links/open-personal-link";
import { isDocumentLoad, serveInvalidLinkPage } from "@/lib/links/serve-invalid-link-page";
import { isEeaCountry } from "@/lib/members/eea-countries";
import { logger } from "@/lib/logger";
import { maskEmail } from "@/lib/members/mask-email";

/**
 * The page rendered by Next for the placeholder token, once per language and preselected country,
 * without Next's scripts: the form needs none (lib/links/light-form-page.ts).
 */
const linkPageTemplate = ({ origin, locale, country }: { origin: string; locale: string; country: string }) =>
  cachedPageRender({
    key: `link:${locale}:${country}`,
    url: `${origin}/o/${TEMPLATE_TOKEN}`,
    headers: { cookie: `${LOCALE_COOKIE}=${locale}`, [TEMPLATE_HEADER]: signTemplateRequest({ country }) },
    transform: lightFormPage,
  });

/**
 * GET /o/<token> while the member has not objected: the cached page with this member's values; for
 * a link that cannot be used, the friendly page. Null hands the request to the page itself: an
 * objection already stored, a form returned with errors, a client-side navigation, or no render to hand.
 */
export const servePersonalLinkPage = async (request: NextRequest, { nonce }: { nonce: string }) => {
  const url = request.nextUrl;
  const token = url.pathname.slice("/o/".length);
  if (!isDocumentLoad(request) || token.includes("/")) return null;

  const visitorLocale = (subjectLocale?: string | null) =>
    resolveLocale({ subjectLocale, cookieLocale: request.cookies.get(LOCALE_COOKIE)?.value, acceptLanguage: request.headers.get("accept-language") });
  const opened = await openPersonalLink({ actor: LINK_HOLDER, token }).catch((error: unknown) => {
    logger().error({ event: "link_page_failed", error }, "the personal link page could not read the database");
    return null;
  });
  // The database did not answer: the outage page, with a way back to this link once it does.
  if (!opened) return outagePageResponse({ locale: visitorLocale(), retryPath: url.pathname });
  if (!opened.ok) return serveInvalidLinkPage({ request, nonce, kind: "personal" });
  if (opened.link.objection) return null;

  const { member } = opened.link;
  const locale = visitorLocale(member.locale);
  // Loopback to this instance: every instance of one build renders the same template.
  const template = await linkPageTemplate({ origin: loopbackOrigin(url), locale, country: isEeaCountry(member.country) ? member.country : "" });
  if (!template) return null;

  // proxy.ts adds the Content-Security-Policy that names this nonce.
  return new Response(fillLinkPageTemplate({ template, token, maskedEmail: maskEmail(member.email), nonce }), {
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "private, no-cache, no-store, max-age=0, must-revalidate", vary: "Cookie, Accept-Language" },
  });
};
