const createNextIntlPlugin = require("next-intl/plugin");

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

/** Pages reached by a token: the token leaks to no one, and no copy is kept or indexed. */
const TOKEN_PAGE_HEADERS = [
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "Cache-Control", value: "private, no-store" },
  { key: "X-Robots-Tag", value: "noindex" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // forbidden() and unauthorized() in the admin console answer 403 and 401, from pages and server actions alike.
  experimental: {
    authInterrupts: true,
    // Next.js reads every body that passes proxy.ts to its end before the route sees it, keeping up
    // to this much (twice: the proxy's copy and the route's) and cutting the rest. What still passes
    // the proxy is pages (the console's server actions, whose own limit is 1 MB); the routes that
    // read a body are outside the proxy's matcher. 10 MB by default.
    proxyClientMaxBodySize: "1mb",
  },
  // "Stop these emails": a mail client's one-click post (RFC 8058) and the page's confirm button
  // post to /u/<token>, a page; a post with a body goes to its route handler here, past proxy.ts,
  // which would read the whole body first. A page's GET carries no Content-Type.
  rewrites: async () => ({
    beforeFiles: [{ source: "/u/:token", has: [{ type: "header", key: "content-type" }], destination: "/u/:token/one-click" }],
  }),
  serverExternalPackages: ["pg", "pg-boss", "nodemailer", "@prisma/adapter-pg"],
  // The headers that never change. Pages get their Content-Security-Policy (with a fresh script
  // nonce) and, over https, Strict-Transport-Security from proxy.ts (lib/security).
  headers: async () => [
    {
      source: "/:path*",
      headers: [
        // Other sites learn nothing of where their visitors came from; the console's server actions
        // still get their Origin.
        { key: "Referrer-Policy", value: "same-origin" },
        { key: "X-Content-Type-Options", value: "nosniff" },
        // For what proxy.ts does not see (the API, files): nothing here is meant to be framed. On a
        // page, the proxy's full policy replaces this one (Next.js applies these headers first).
        { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
        { key: "X-Frame-Options", value: "DENY" },
        // Nothing here uses the camera, microphone, location, payments, USB or sensors.
        { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), accelerometer=(), gyroscope=(), magnetometer=(), browsing-topics=()" },
      ],
    },
    // Pages reached by a token: a personal link objects in someone's name, a status link shows and
    // withdraws an objection, so the token leaks to no one, this site included (their forms post to
    // route handlers, which do not mind the "Origin: null" a browser then sends). Invalid-link pages
    // too. Listed after "/:path*", so this Referrer-Policy wins.
    // The personal link (/o/), "stop these emails" (/u/, whose page offers the personal link) and the status link (/s/).
    ...["/o/:token*", "/u/:token*", "/s/:token*"].map((source) => ({ source, headers: TOKEN_PAGE_HEADERS })),
  ],
};

module.exports = withNextIntl(nextConfig);
