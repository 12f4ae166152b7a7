import "server-only";

import { ADMIN_PATHS } from "@/lib/auth/admin-paths";

/**
 * Where Auth.js may send the browser after sign-in or sign-out: a path or URL on the app's public
 * address (APP_URL), whatever host a request named; anything else goes to the console's home.
 * The URL is parsed first and its origin compared: a string test let `/\evil.com` through, which
 * a URL parser reads as `//evil.com`.
 */
export const redirectWithinApp = ({ url, appUrl }: { url: string; appUrl: string }) => {
  const app = new URL(appUrl);
  const home = new URL(ADMIN_PATHS.home, app).toString();
  if (!URL.canParse(url, app)) return home;
  const target = new URL(url, app);
  return target.origin === app.origin ? target.toString() : home;
};
