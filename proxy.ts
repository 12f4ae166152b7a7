import { type NextRequest, NextResponse } from "next/server";

// A personal link mangled by a mail client can carry broken percent-encoding, which Next.js
// would answer with a 500. Show the friendly invalid-link page instead.
export const proxy = (request: NextRequest) => {
  try {
    decodeURIComponent(new URL(request.url).pathname);
    return NextResponse.next();
  } catch {
    // A rewrite keeps the broken URL, which Next.js still fails to decode: redirect instead.
    return NextResponse.redirect(new URL("/o/invalid", request.url), 303);
  }
};

export const config = { matcher: "/o/:path*" };

