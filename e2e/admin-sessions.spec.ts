import { randomBytes } from "node:crypto";

import type { Page } from "@playwright/test";
import type pg from "pg";

import { hashSessionToken } from "../lib/auth/hash-session-token";
import { createAdmin, type TTestAdmin } from "../test/factories";
import { signInAs } from "./admin-fixtures";
import { expectNoViolations } from "./axe";
import { auditCount, countRows, expect, test } from "./fixtures";

const IPHONE_SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

/** Another session of `admin`, in some other browser, begun an hour ago. */
const otherSession = async (db: pg.Pool, admin: TTestAdmin, { method = "sso", userAgent = IPHONE_SAFARI }: { method?: string; userAgent?: string } = {}) => {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO "AdminSession" ("sessionToken", "userId", expires, "createdAt", method, "userAgent") VALUES ($1, $2, now() + interval '7 hours', now() - interval '1 hour', $3, $4) RETURNING id`,
    [hashSessionToken(randomBytes(32).toString("hex")), admin.id, method, userAgent],
  );
  return rows[0]!.id;
};

const sessionCount = (db: pg.Pool, adminId: string) => countRows(db, `SELECT count(*) FROM "AdminSession" WHERE "userId" = $1`, [adminId]);

const auditDetails = async (db: pg.Pool, actorId: string, action: string) =>
  (await db.query<{ targetId: string; detail: unknown }>(`SELECT "targetId", detail FROM "AuditEvent" WHERE "actorId" = $1 AND action = $2 ORDER BY id`, [actorId, action])).rows;

/** A viewer signed in from this browser (its own User-Agent recorded, as the adapter does) with a second session on a phone. */
const viewerWithTwoSessions = async ({ db, page }: { db: pg.Pool; page: Page }) => {
  const viewer = await createAdmin({ db, role: "viewer", verified: true });
  await signInAs({ db, context: page.context(), admin: viewer, userAgent: await page.evaluate(() => navigator.userAgent) });
  const phone = await otherSession(db, viewer);
  return { viewer, phone };
};

const sidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test.describe("sessions", () => {
  test("a viewer finds their sessions in the menu, ends the one on their phone (audited), then this one, which signs them out", async ({ page, db }) => {
    await page.goto("about:blank");
    const { viewer, phone } = await viewerWithTwoSessions({ db, page });
    // Someone else's session is never listed.
    await otherSession(db, await createAdmin({ db, role: "admin" }));

    await page.goto("/admin");
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Sessions" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Your sessions" })).toBeVisible();
    const rows = page.getByRole("table", { name: "Your sessions" }).locator("tbody tr");
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText("Chrome on Linux");
    await expect(rows.nth(0)).toContainText("This session");
    await expect(rows.nth(0)).toContainText("Email link");
    await expect(rows.nth(1)).toContainText("Safari on iOS");
    await expect(rows.nth(1)).toContainText("Single sign-on");
    await expect(rows.nth(1)).not.toContainText("This session");
    await expectNoViolations(page);

    await page.getByRole("button", { name: /^End the session in Safari on iOS, started / }).click();
    await expect(page.getByText("Session ended. That browser is signed out at its next request.")).toBeVisible();
    await expect(rows).toHaveCount(1);
    expect(await countRows(db, `SELECT count(*) FROM "AdminSession" WHERE id = $1`, [phone])).toBe(0);
    expect(await auditDetails(db, viewer.id, "session_end")).toEqual([{ targetId: viewer.id, detail: { method: "sso" } }]);
    await expectNoViolations(page);

    await page.getByRole("button", { name: /^End this session .* and sign out$/ }).click();
    await expect(page).toHaveURL(/\/admin\/sign-in/);
    expect(await sessionCount(db, viewer.id)).toBe(0);
    expect(await auditCount(db, viewer.id, "session_end")).toBe(2);
    await page.goto("/admin/sessions");
    await expect(page).toHaveURL(/\/admin\/sign-in/);
  });

  test("on a 375 px phone the sessions read as cards: no sideways scroll, and axe finds nothing", async ({ page, db }) => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto("about:blank");
    await viewerWithTwoSessions({ db, page });
    await page.goto("/admin/sessions");
    const cards = page.getByRole("list", { name: "Your sessions" }).getByRole("listitem");
    await expect(cards).toHaveCount(2);
    await expect(cards.nth(0)).toContainText("This session");
    await expect(cards.nth(1)).toContainText("Single sign-on");
    await expect(page.getByRole("button", { name: /^End the session in Safari on iOS/ })).toBeInViewport();
    expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
    await expectNoViolations(page);
  });

  test("an admin ends all sessions of another admin from the team page, confirmed, told how many, audited", async ({ page, db, asAdmin }) => {
    const admin = await asAdmin("admin");
    const reviewer = await createAdmin({ db, role: "reviewer", verified: true });
    await otherSession(db, reviewer);
    await otherSession(db, reviewer, { method: "email", userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0" });

    await page.goto("/admin/team");
    // Your own row offers none: your own sessions are on the Sessions page.
    await expect(page.getByRole("button", { name: `End all sessions of ${admin.email}` })).toHaveCount(0);
    await page.getByRole("button", { name: `End all sessions of ${reviewer.email}` }).click();
    const dialog = page.getByRole("dialog", { name: "End all their sessions?" });
    await expect(dialog).toBeVisible();
    await expectNoViolations(page);
    await dialog.getByRole("button", { name: "End all sessions" }).click();

    await expect(page.getByText("2 sessions ended. They sign in again to continue.")).toBeVisible();
    expect(await sessionCount(db, reviewer.id)).toBe(0);
    expect(await sessionCount(db, admin.id)).toBe(1);
    expect(await auditDetails(db, admin.id, "sessions_end_all")).toEqual([{ targetId: reviewer.id, detail: { count: 2 } }]);
    // Their access stays: they are still on the team, with their role.
    await expect(page.getByRole("combobox", { name: `Role of ${reviewer.email}` })).toHaveValue("reviewer");
  });
});
