import { randomUUID } from "node:crypto";

import type { Page } from "@playwright/test";

import { createCampaign } from "../test/factories";
import { expectNoViolations } from "./axe";
import { expect, test } from "./fixtures";

/** The console's sections, as its menu names them, and which of them a page belongs to. */
const SECTIONS = ["Dashboard", "Objections", "Members", "Suppressions", "Campaigns", "Exports", "Audit log", "Team"] as const;
type TSection = (typeof SECTIONS)[number];

const menu = (page: Page) => page.getByRole("navigation", { name: "Console" });

/** How far the page scrolls sideways: 0 when it fits the screen. */
const sidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** One console page on the phone: it fits, its menu shows every section with the current one, and axe finds nothing. */
const expectFitsThePhone = async (page: Page, path: string, section: TSection) => {
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1 }), path).toBeVisible();
  expect(await sidewaysScroll(page), path).toBeLessThanOrEqual(0);
  for (const name of SECTIONS) await expect(menu(page).getByRole("link", { name, exact: true }), `${path}: ${name}`).toBeInViewport();
  await expect(menu(page).locator('[aria-current="page"]'), path).toHaveText(section);
  await expectNoViolations(page);
};

test.describe("the console on a 390 px phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test("as an admin, the objection, member and suppression pages fit, with the menu whole", async ({ page, db, asAdmin, createMember }) => {
    const admin = await asAdmin("admin");
    const member = await createMember({ country: "DE", locale: "de" });
    const objection = (
      await db.query<{ id: string }>(`INSERT INTO "Objection" ("memberId", "notificationId", email, country, source) VALUES ($1, $2, $3, 'DE', 'email_link') RETURNING id`, [member.id, member.notificationId, member.email])
    ).rows[0]!.id;
    await db.query(`INSERT INTO "ObjectionEvent" ("objectionId", type, "actorType", "actorId", detail) VALUES ($1, 'created', 'member', $2, '{"source":"email_link"}'), ($1, 'receipt_sent', 'system', 'objection-receipt', '{}')`, [objection, member.id]);
    await db.query(`INSERT INTO "AuditEvent" ("actorType", "actorId", action, "targetType", "targetId") VALUES ('admin', $1, 'reveal', 'objection', $2)`, [admin.id, objection]);
    for (const [path, section] of [
      ["/admin/objections", "Objections"],
      [`/admin/objections/${objection}`, "Objections"],
      ["/admin/objections/import", "Objections"],
      ["/admin/members", "Members"],
      [`/admin/members/${member.id}`, "Members"],
      ["/admin/suppressions", "Suppressions"],
    ] as const)
      await expectFitsThePhone(page, path, section);
    // The timeline reads as people speak: how the objection was made, and which automatic email went out.
    await page.goto(`/admin/objections/${objection}`);
    await expect(page.getByTestId("timeline")).toContainText("Objected by email link");
    await expect(page.getByTestId("timeline")).toContainText("Receipt sent");
    await expect(page.getByTestId("timeline")).toContainText("Automatic receipt email");
    await expect(page.getByTestId("timeline")).not.toContainText("objection-receipt");
  });

  test("as an admin, the dashboard, campaigns, exports, audit log and team fit, with the menu whole", async ({ page, db, asAdmin }) => {
    const admin = await asAdmin("admin");
    const campaign = await createCampaign({ db, name: `phone ${randomUUID()}`, channels: ["email", "in_app"], countries: ["DE"] });
    const run = (
      await db.query<{ id: string }>(
        `INSERT INTO "ExportRun" (cutoff, format, location, status, files, "finishedAt") VALUES (now(), 'csv', '/tmp/exports', 'succeeded', $1, now()) RETURNING id`,
        [JSON.stringify([{ name: "snapshot.csv", kind: "snapshot", rows: 1, bytes: 120, sha256: "a".repeat(64) }])],
      )
    ).rows[0]!.id;
    await db.query(`INSERT INTO "AuditEvent" ("actorType", "actorId", action, "targetType", "targetId") VALUES ('admin', $1, 'campaign_create', 'campaign', $2), ('admin', $1, 'export_download', 'export', $3)`, [admin.id, campaign.id, run]);
    for (const [path, section] of [
      ["/admin", "Dashboard"],
      ["/admin/campaigns", "Campaigns"],
      ["/admin/campaigns/new", "Campaigns"],
      [`/admin/campaigns/${campaign.id}`, "Campaigns"],
      ["/admin/exports", "Exports"],
      [`/admin/exports/${run}`, "Exports"],
      ["/admin/audit", "Audit log"],
      ["/admin/team", "Team"],
    ] as const)
      await expectFitsThePhone(page, path, section);
  });

  test("a reviewer's menu has no Team, and every section it has fits", async ({ page, asAdmin }) => {
    await asAdmin("reviewer");
    await page.goto("/admin/objections");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(menu(page).getByRole("link", { name: "Team" })).toHaveCount(0);
    for (const name of SECTIONS.filter((section) => section !== "Team")) await expect(menu(page).getByRole("link", { name, exact: true })).toBeInViewport();
    await expect(menu(page).locator('[aria-current="page"]')).toHaveText("Objections");
    expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
    await expectNoViolations(page);
  });
});
