import "server-only";

import type { NextRequest } from "next/server";

import { LOCALE_COOKIE, resolveLocale } from "@/lib/i18n/resolve-locale";
import { fillLinkPageTemplate, signTemplateRequest, TEMPLATE_HEADER, TEMPLATE_TOKEN, type TLinkPageTemplate } from "@/lib/links/link-page-template";
import { openPersonalLink } from "@/lib/links/open-personal-link";
import { isEeaCountry } from "@/lib/members/eea-countries";
import { maskEmail } from "@/lib/members/mask-email";
import { scriptNonce } from "@/lib/security/content-security-policy";

const templates = new Map<string, Promise<TLinkPageTemplate | null>>();

/**
 * The page rendered by Next for the placeholder token, once per language and preselected country,
 * with the script nonce proxy.ts gave that render (its Content-Security-Policy says which).
 */
const linkPageTemplate = ({ origin, locale, country }: { origin: string; locale: string; country: string }) => {
  const key = `${locale}:${country}`;
  let template = templates.get(key);
  if (!template) {
    template = fetch(`${origin}/o/${TEMPLATE_TOKEN}`, { headers: { cookie: `${LOCALE_COOKIE}=${locale}`, [TEMPLATE_HEADER]: signTemplateRequest({ country }) } })
      .then(async (response) => {
        const html = await response.text();
        // Without the nonce it was rendered with, its scripts could not get each request's own.
        const nonce = scriptNonce(response.headers.get("content-security-policy"));
        return response.ok && nonce ? { html, nonce } : null;
      })
      .catch(() => null);
    templates.set(key, template);
    // A failed render is tried again by the next request rather than kept.
    void template.then((rendered) => rendered ?? templates.delete(key));
  }
  return template;
};

/**
 * GET /o/<token> while the member has not objected: the cached page with this member's values.
 * Null hands the request to the page itself: a link that cannot be used, an objection already
 * stored, a form returned with errors, a client-side navigation, or no template to hand.
 */
export const servePersonalLinkPage = async (request: NextRequest, { nonce }: { nonce: string }) => {
  const url = request.nextUrl;
  const token = url.pathname.slice("/o/".length);
  if (request.method !== "GET" || url.search !== "" || request.headers.has("rsc") || token === TEMPLATE_TOKEN || token.includes("/")) return null;

  const opened = await openPersonalLink(token);
  if (!opened.ok || opened.link.objection) return null;

  const { member } = opened.link;
  const locale = resolveLocale({ cookieLocale: request.cookies.get(LOCALE_COOKIE)?.value, acceptLanguage: request.headers.get("accept-language") });
  // Loopback to this instance (Next sets PORT to the port it listens on): every instance of one
  // build renders the same template.
  const template = await linkPageTemplate({ origin: `http://127.0.0.1:${process.env.PORT ?? url.port}`, locale, country: isEeaCountry(member.country) ? member.country : "" });
  if (!template) return null;

  // proxy.ts adds the Content-Security-Policy that names this nonce.
  return new Response(fillLinkPageTemplate({ template, token, maskedEmail: maskEmail(member.email), nonce }), {
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "private, no-cache, no-store, max-age=0, must-revalidate", vary: "Cookie, Accept-Language" },
  });
};
