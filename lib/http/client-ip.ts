import "server-only";

import ipaddr from "ipaddr.js";

import { env } from "@/lib/env";

/**
 * The header in which Next.js's server records the address of the socket a request came in on, set
 * on every request whatever the client sent (patches/next+16.4.6.patch). Next.js itself only fills
 * X-Forwarded-For when the client sent none (`??=` in next/dist/server/base-server.js), so without
 * the patch nothing the app sees tells a client's own X-Forwarded-For from the socket's address.
 * proxy.ts drops a client's copy too, so without the patch the header is absent, not forged.
 * A patch rather than a custom server: six lines where Next.js reads the socket, and every start
 * (npm start, the test tiers, the demo) runs Next.js's own request handler (scripts/start-web.mjs
 * hands it every request, as `next start` does). A separate header rather than the
 * socket appended to X-Forwarded-For: TRUSTED_PROXIES >= 1 keeps meaning what it meant.
 */
export const SOCKET_ADDRESS_HEADER = "x-objection-socket-ip";

/** `::ffff:203.0.113.7` (an IPv4 client of a dual-stack socket) as `203.0.113.7`; anything else as written. */
const normalised = (ip: string) => (ipaddr.isValid(ip) ? ipaddr.process(ip).toString() : ip);

const forwardedHops = (headers: Headers) =>
  (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);

/**
 * The address of whoever sent the request. With `TRUSTED_PROXIES=0` that is the socket's own
 * address. Otherwise it is what the outermost trusted proxy saw: each proxy in front of the app
 * appends the address it was reached from to X-Forwarded-For, so the entry `TRUSTED_PROXIES` from
 * the end is the first one a client could not have written. Null when there is no such entry.
 */
export const clientIp = (headers: Headers, trustedProxies = env().TRUSTED_PROXIES): string | null => {
  const hops = forwardedHops(headers);
  const ip = trustedProxies === 0 ? headers.get(SOCKET_ADDRESS_HEADER)?.trim() : hops[Math.max(0, hops.length - trustedProxies)];
  return ip && ip.length <= 64 ? normalised(ip) : null;
};
