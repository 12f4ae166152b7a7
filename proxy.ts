import { type NextRequest, NextResponse } from "next/server";

import { servePersonalLinkPage } from "@/lib/links/serve-personal-link-page";

export const proxy = async (request: NextRequest) => {
  // A personal link mangled by a mail client can carry broken percent-encoding, which Next.js
  // would answer with a 500. Show the friendly invalid-link page instead. A rewrite keeps the
  // broken URL, which Next.js still fails to decode: redirect instead.
  try {
    decodeURIComponent(request.nextUrl.pathname);
  } catch {
    return NextResponse.redirect(new URL("/o/invalid", request.url), 303);
  }
  return (await servePersonalLinkPage(request)) ?? NextResponse.next();
};

// The personal link page only; the form's post (/o/submit) needs none of this.
export const config = { matcher: "/o/((?!submit$).*)" };
