import "server-only";

import { env } from "@/lib/env";

/**
 * The address of whoever sent the request, as the outermost trusted proxy saw it. Each proxy in
 * front of the app appends the address it was reached from to X-Forwarded-For (and Next.js sets
 * the socket's address when the header is absent, which makes the app its own first proxy), so
 * the entry `TRUSTED_PROXIES` from the end is the first one a client could not have written.
 * Null when the header holds no such entry.
 */
export const clientIp = (headers: Headers, trustedProxies = env().TRUSTED_PROXIES): string | null => {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  const ip = hops[Math.max(0, hops.length - trustedProxies)];
  return ip && ip.length <= 64 ? ip : null;
};
