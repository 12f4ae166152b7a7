import { randomBytes } from "node:crypto";

import type { BrowserContext } from "@playwright/test";
import type pg from "pg";

import { hashSessionToken } from "../lib/auth/hash-session-token";
import type { TTestAdmin } from "../test/factories";
import { E2E_PORTS } from "./ports";

/**
 * Signs the browser in as `admin` the way Auth.js would after the email link: a database session
 * and its cookie. The sign-in flow itself is tested through real email in admin-sign-in.spec.ts.
 */
export const signInAs = async ({
  db,
  context,
  admin,
  expires = new Date(Date.now() + 8 * 3600_000),
  userAgent = null,
}: {
  db: pg.Pool;
  context: BrowserContext;
  admin: TTestAdmin;
  expires?: Date;
  /** The browser the session records, as Auth.js's adapter stores it: none by default. */
  userAgent?: string | null;
}) => {
  const sessionToken = randomBytes(32).toString("hex");
  await db.query(`INSERT INTO "AdminSession" ("sessionToken", "userId", expires, "userAgent") VALUES ($1, $2, $3, $4)`, [hashSessionToken(sessionToken), admin.id, expires, userAgent]);
  await context.addCookies([{ name: "authjs.session-token", value: sessionToken, domain: "127.0.0.1", path: "/", httpOnly: true, sameSite: "Lax", expires: Math.floor(expires.getTime() / 1000) }]);
  return sessionToken;
};

export const ADMIN_BASE_URL = `http://127.0.0.1:${E2E_PORTS.app}`;
