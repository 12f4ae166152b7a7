import "server-only";

import { env } from "@/lib/env";

// Sec-Fetch-Site values a browser sends for a request started by a page of another origin.
const FOREIGN_FETCH_SITES = new Set(["cross-site", "same-site"]);

/**
 * Whether a browser sent this request from a page of another origin than APP_URL's. A request
 * with no Origin, or `Origin: null` (what a page sent with Referrer-Policy: no-referrer posts
 * with, as the personal link's pages are), is not, unless the browser's Sec-Fetch-Site says it
 * came from another site: a page elsewhere can make its own posts say `null`, but not that.
 */
export const isForeignOrigin = (headers: Headers, appUrl = env().APP_URL) => {
  if (FOREIGN_FETCH_SITES.has(headers.get("sec-fetch-site") ?? "")) return true;
  const origin = headers.get("origin");
  return origin !== null && origin !== "null" && origin !== new URL(appUrl).origin;
};
