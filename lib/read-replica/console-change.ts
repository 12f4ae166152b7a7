import "server-only";

import { cookies } from "next/headers";

import { env } from "@/lib/env";

/** Set on the admin's browser by every console action; while it lasts, the console's lists read the primary. */
export const CONSOLE_CHANGE_COOKIE = "objection-console-change";

/**
 * Read-your-writes for admins: a console action (adminAction, adminRoute's POSTs) sets this cookie
 * for READ_REPLICA_MAX_LAG_SECONDS. A replica the routing still uses is at most that far behind, so
 * once the cookie has gone, the replica holds the change too. Not security-relevant: a forged one
 * only sends that browser's reads to the primary. Nothing is set when DATABASE_READ_URL is unset.
 */
export const markConsoleChange = async () => {
  if (!env().DATABASE_READ_URL) return;
  (await cookies()).set(CONSOLE_CHANGE_COOKIE, "1", {
    httpOnly: true,
    sameSite: "lax",
    secure: env().APP_URL.startsWith("https:"),
    path: "/admin",
    maxAge: env().READ_REPLICA_MAX_LAG_SECONDS,
  });
};

/** Whether this browser changed something in the console within READ_REPLICA_MAX_LAG_SECONDS: its pages then read the primary. */
export const consoleChangedRecently = async () => (await cookies()).has(CONSOLE_CHANGE_COOKIE);
