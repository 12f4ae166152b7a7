const createNextIntlPlugin = require("next-intl/plugin");

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // forbidden() and unauthorized() in the admin console answer 403 and 401, from pages and server actions alike.
  experimental: { authInterrupts: true },
  serverExternalPackages: ["pg", "pg-boss", "nodemailer", "@prisma/adapter-pg"],
  // Personal links carry a token: never leak it to another site through the Referer header.
  // (Not "no-referrer": browsers then send "Origin: null" on form posts, which server actions refuse.)
  headers: async () => [
    {
      source: "/:path*",
      headers: [
        { key: "Referrer-Policy", value: "same-origin" },
        { key: "X-Content-Type-Options", value: "nosniff" },
        // No page of this app is meant to be framed (clickjacking a "withdraw" or an admin action).
        { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
        { key: "X-Frame-Options", value: "DENY" },
        // Nothing here uses the camera, microphone, location, payments, USB or sensors.
        { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), accelerometer=(), gyroscope=(), magnetometer=(), browsing-topics=()" },
      ],
    },
    { source: "/o/:token*", headers: [{ key: "Cache-Control", value: "private, no-store" }, { key: "X-Robots-Tag", value: "noindex" }] },
    // The status page: its token shows and withdraws an objection, so it leaks to no one, this site
    // included (its withdrawal posts to a route handler, which does not mind "Origin: null").
    // Listed after "/:path*", so this Referrer-Policy wins.
    {
      source: "/s/:token*",
      headers: [
        { key: "Referrer-Policy", value: "no-referrer" },
        { key: "Cache-Control", value: "private, no-store" },
        { key: "X-Robots-Tag", value: "noindex" },
      ],
    },
  ],
};

module.exports = withNextIntl(nextConfig);
