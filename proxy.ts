import { type NextRequest, NextResponse } from "next/server";

import { auth } from "@/lib/auth/auth";
import { servePersonalLinkPage } from "@/lib/links/serve-personal-link-page";

// Pages cannot set cookies: here, before the page, Auth.js slides the session's expiry and renews
// its cookie, so a session ends after 8 hours idle, not 8 hours after sign-in. Called with the
// request, Auth.js answers "next" with the renewed cookie.
const renewAdminSession = auth as unknown as (request: NextRequest, event: unknown) => Promise<Response>;

const hasSessionCookie = (request: NextRequest) => request.cookies.getAll().some(({ name }) => name.endsWith("authjs.session-token"));

export const proxy = async (request: NextRequest) => {
  if (request.nextUrl.pathname.startsWith("/admin")) {
    if (!process.env.AUTH_SECRET || !hasSessionCookie(request)) return NextResponse.next();
    return renewAdminSession(request, undefined);
  }
  // A personal or status link mangled by a mail client can carry broken percent-encoding, which Next.js
  // would answer with a 500. Show the friendly invalid-link page instead. A rewrite keeps the
  // broken URL, which Next.js still fails to decode: redirect instead.
  const isStatusLink = request.nextUrl.pathname.startsWith("/s/");
  try {
    decodeURIComponent(request.nextUrl.pathname);
  } catch {
    return NextResponse.redirect(new URL(isStatusLink ? "/s/invalid" : "/o/invalid", request.url), 303);
  }
  if (isStatusLink) return NextResponse.next();
  return (await servePersonalLinkPage(request)) ?? NextResponse.next();
};

// The personal link page (not the form's post, /o/submit), the status page (not its withdrawal
// post, /s/withdraw), and the admin console.
export const config = { matcher: ["/o/((?!submit$).*)", "/s/((?!withdraw$).*)", "/admin/:path*"] };
