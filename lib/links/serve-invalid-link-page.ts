import "server-only";

import type { NextRequest } from "next/server";

import { env } from "@/lib/env";
import { LOCALE_COOKIE, resolveLocale } from "@/lib/i18n/resolve-locale";
import { cachedPageRender, isOwnRender, loopbackOrigin } from "@/lib/links/cached-page-render";
import { STATUS_LINK_KINDS } from "@/lib/links/status-link-url";
import { verifyLinkTokenFor } from "@/lib/links/token";

/** The friendly pages, as routes of their own: rendered (200) for proxy.ts, which answers them, and every unusable link, as 404. */
export const INVALID_LINK_PATHS = { personal: "/o/invalid", status: "/s/invalid" } as const;

/**
 * The friendly page for a link that cannot be used, answered by proxy.ts as a 404 with the whole
 * page in the HTML. A page that calls notFound() sends only an empty shell that its scripts fill
 * in (a Next.js limitation), which a browser without JavaScript shows blank.
 */
export const serveInvalidLinkPage = async ({ request, nonce, kind }: { request: NextRequest; nonce: string; kind: keyof typeof INVALID_LINK_PATHS }) => {
  const path = INVALID_LINK_PATHS[kind];
  const locale = resolveLocale({ cookieLocale: request.cookies.get(LOCALE_COOKIE)?.value, acceptLanguage: request.headers.get("accept-language") });
  const page = await cachedPageRender({ key: `invalid:${kind}:${locale}`, url: `${loopbackOrigin(request.nextUrl)}${path}`, headers: { cookie: `${LOCALE_COOKIE}=${locale}` } });
  if (!page) return null;
  // proxy.ts adds the Content-Security-Policy that names this nonce.
  return new Response(page.html.replaceAll(page.nonce, nonce), {
    status: 404,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "private, no-store", vary: "Cookie, Accept-Language" },
  });
};

/**
 * Whether proxy.ts may answer this request from a render: a browser's first load of a page (not a
 * client-side navigation, not a form's return), and not a render's own request.
 */
export const isDocumentLoad = (request: NextRequest) => request.method === "GET" && request.nextUrl.search === "" && !request.headers.has("rsc") && !isOwnRender(request);

/**
 * GET /s/<token> (or its signed receipt, /s/<token>/receipt) with a token that cannot be a status
 * link (tampered, expired, for another purpose): the friendly page. Null hands the request to the
 * page or route, which also finds an unknown objection.
 */
export const serveInvalidStatusLink = async (request: NextRequest, { nonce }: { nonce: string }) => {
  const token = request.nextUrl.pathname.slice("/s/".length).replace(/\/receipt$/, "");
  if (!isDocumentLoad(request)) return null;
  if (verifyLinkTokenFor({ token, secrets: env().LINK_SECRETS, kinds: STATUS_LINK_KINDS }).ok) return null;
  return serveInvalidLinkPage({ request, nonce, kind: "status" });
};
