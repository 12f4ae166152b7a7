import { type NextRequest, NextResponse } from "next/server";

import { AppError } from "@/lib/errors/app-error";
import { appErrorResponse } from "@/lib/errors/app-error-response";
import { ADMIN_PATHS } from "@/lib/auth/admin-paths";
import { auth } from "@/lib/auth/auth";
import { env } from "@/lib/env";
import { bodyTooLarge } from "@/lib/http/body-too-large";
import { SOCKET_ADDRESS_HEADER } from "@/lib/http/client-ip";
import { PAGE_CHOSEN_LOCALE_HEADER, PAGE_PATH_HEADER } from "@/lib/i18n/page-headers";
import { CHOSEN_LOCALE_PARAM } from "@/lib/i18n/resolve-locale";
import { serveInvalidStatusLink } from "@/lib/links/serve-invalid-link-page";
import { servePersonalLinkPage } from "@/lib/links/serve-personal-link-page";
import { newNonce, securityHeaders } from "@/lib/security/content-security-policy";

// Pages cannot set cookies: here, before the page, Auth.js slides the session's expiry and renews
// its cookie, so a session ends after 8 hours idle, not 8 hours after sign-in. Called with the
// request, Auth.js answers "next" with the renewed cookie, which goes onto this proxy's own "next".
const renewAdminSession = auth as unknown as (request: NextRequest, event: unknown) => Promise<Response>;

const hasSessionCookie = (request: NextRequest) => request.cookies.getAll().some(({ name }) => name.endsWith("authjs.session-token"));

/**
 * On to the page, with the policy on the request too (Next.js takes the nonce from there for its
 * own scripts), and the path and the switcher's choice, from which lib/i18n/request.ts picks the language.
 */
const toPage = (request: NextRequest, policy: string) => {
  const headers = new Headers(request.headers);
  // Only the patched Next.js may say where the socket is (it sets this after the proxy runs): a
  // client's copy goes, so an unpatched install counts every visitor in one bucket, not in one of
  // their choosing.
  headers.delete(SOCKET_ADDRESS_HEADER);
  headers.set("content-security-policy", policy);
  headers.set(PAGE_PATH_HEADER, request.nextUrl.pathname);
  headers.set(PAGE_CHOSEN_LOCALE_HEADER, request.nextUrl.searchParams.get(CHOSEN_LOCALE_PARAM) ?? "");
  return NextResponse.next({ request: { headers } });
};

/** Where a path Next.js cannot decode goes (it would answer it with a 500): a link's friendly page, else the 404 page. */
const undecodablePathTarget = (pathname: string) => (pathname.startsWith("/s/") ? "/s/invalid" : pathname.startsWith("/o/") ? "/o/invalid" : "/page-not-found");

const UNSUBSCRIBE_PAGE = /^\/u\/[^/]+$/;

const route = async (request: NextRequest, { nonce, policy }: { nonce: string; policy: string }) => {
  const { pathname } = request.nextUrl;
  // A link mangled by a mail client can carry broken percent-encoding. A rewrite keeps the broken
  // URL, which Next.js still fails to decode: redirect instead.
  if (!isDecodablePath(request)) return NextResponse.redirect(new URL(undecodablePathTarget(pathname), request.url), 303);
  if (pathname.startsWith("/admin")) {
    const response = toPage(request, policy);
    if (!process.env.AUTH_SECRET || !hasSessionCookie(request)) return response;
    const renewed = await renewAdminSession(request, undefined);
    for (const cookie of renewed.headers.getSetCookie()) response.headers.append("set-cookie", cookie);
    return response;
  }
  // "Stop these emails": a mail client's one-click POST (RFC 8058) and the confirm button post to
  // /u/<token> itself; a page and a route handler cannot share a path, so the post goes on to one.
  // A post with a Content-Type never gets here (next.config.js rewrites it); this is one without.
  if (request.method === "POST" && UNSUBSCRIBE_PAGE.test(pathname)) return NextResponse.rewrite(new URL(`${pathname}/one-click`, request.url));
  if (pathname.startsWith("/s/")) return (await serveInvalidStatusLink(request, { nonce })) ?? toPage(request, policy);
  if (pathname.startsWith("/o/")) return (await servePersonalLinkPage(request, { nonce })) ?? toPage(request, policy);
  return toPage(request, policy);
};

const isDecodablePath = (request: NextRequest) => {
  try {
    decodeURIComponent(request.nextUrl.pathname);
    return true;
  } catch {
    return false;
  }
};

const undecodableApiPath = () =>
  appErrorResponse(
    new AppError("bad_path", { message: "The path holds broken percent-encoding (a % not followed by two hex digits): encode each path segment with encodeURIComponent." }),
  );

/**
 * The most a post to a page may carry: next.config's proxyClientMaxBodySize, and Next.js's limit for
 * a server action's body (1 MB). The console's actions and the sign-in form carry a few hundred bytes.
 */
const PAGE_POST_MAX_BYTES = 1024 * 1024;

/**
 * A post to a page (a server action, or a form that posts to its own page) that says it is over
 * the limit, or does not say how long it is (chunked: browsers always send a length for a form or
 * a fetch with a body). Next.js would read such a body, cut it at the limit and answer the action
 * with a 500 (its action handler has a TODO for that 413); refused here instead.
 */
const oversizedPagePost = (request: NextRequest) => {
  if (request.method === "GET" || request.method === "HEAD" || request.body === null) return false;
  const length = request.headers.get("content-length");
  return length === null || !/^\d+$/.test(length) || Number(length) > PAGE_POST_MAX_BYTES;
};

// Every page gets a fresh script nonce (so pages render per request, as they do anyway: the
// language comes from the cookie). next.config.js adds the headers that never change.
export const proxy = async (request: NextRequest) => {
  // The API gets none of the page headers; only a path Next.js could not decode is answered here
  // (Next.js would answer it with a 500).
  if (request.nextUrl.pathname.startsWith("/api/")) return isDecodablePath(request) ? NextResponse.next() : undecodableApiPath();
  if (oversizedPagePost(request)) return bodyTooLarge(`A post to a page is at most ${PAGE_POST_MAX_BYTES / 1024 / 1024} MB, with its length given: nothing was done.`);
  const nonce = newNonce();
  const { APP_URL, ADMIN_OIDC_ISSUER } = env();
  // Only the sign-in page's own form may lead to the OpenID provider (its button's redirect).
  const formActionOrigins = ADMIN_OIDC_ISSUER && request.nextUrl.pathname === ADMIN_PATHS.signIn ? [new URL(ADMIN_OIDC_ISSUER).origin] : [];
  const headers = securityHeaders({ nonce, development: process.env.NODE_ENV === "development", https: APP_URL.startsWith("https:"), formActionOrigins });
  const response = await route(request, { nonce, policy: headers["content-security-policy"]! });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
};

// Pages, and API paths with a "%" only, to refuse one Next.js cannot decode. Not Next's assets, the
// files in public/, nor the route handlers that read a post's body. A request that passes through
// the proxy has its whole body read before the route sees it (Next.js clones it for the proxy and
// waits for its end, keeping up to next.config's proxyClientMaxBodySize): outside the proxy, a
// route's own cap (lib/http/read-body-capped.ts) refuses a body as soon as it passes the cap.
// /u/<token> is a page, and the one-click route for a post with a body (a Content-Type):
// next.config.js rewrites that one past the proxy.
export const config = {
  matcher: [
    "/api/:path(.*%.*)",
    "/((?!api/|_next/|[^/]+\\.\\w+$|o/submit$|s/withdraw$|language$|object/request$|admin/objections/import/upload$|u/[^/]+$|brand/logo$).*)",
    { source: "/u/:token", missing: [{ type: "header", key: "content-type" }] },
  ],
};
