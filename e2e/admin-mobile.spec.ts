import { randomUUID } from "node:crypto";

import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import type pg from "pg";

import { createCampaign } from "../test/factories";
import { WCAG_22_AA } from "./axe";
import { expect, test, type TTestMember } from "./fixtures";

/** The console's sections, as its menu names them, and which of them a page belongs to. */
const SECTIONS = ["Dashboard", "Objections", "Members", "Suppressions", "Campaigns", "Exports", "Webhooks", "Audit log", "Team", "Sessions"] as const;
type TSection = (typeof SECTIONS)[number];

const menu = (page: Page) => page.getByRole("navigation", { name: "Console" });

/** How far the page scrolls sideways: 0 when it fits the screen. */
const sidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/**
 * axe (WCAG 2.2 AA) on the page as shown. A campaign's email preview is a sandboxed frame that runs
 * no script, so axe cannot be injected into it: the frame is checked as an element of the page, as
 * admin-campaigns.spec.ts does, and the email inside it is not a console page.
 */
const expectNoViolations = async (page: Page) => {
  await expect(page).toHaveTitle(/\S/);
  const results = await new AxeBuilder({ page }).withTags(WCAG_22_AA).exclude("iframe[sandbox]").analyze();
  expect(results.violations.map(({ id, nodes }) => `${id}: ${nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
};

/** A member's objection by email link, with its first two events, as the app records them. */
const objectionFor = async (db: pg.Pool, member: TTestMember) => {
  const { rows } = await db.query<{ id: string }>(`INSERT INTO "Objection" ("memberId", "notificationId", "campaignId", email, country, source) VALUES ($1, $2, $3, $4, 'DE', 'email_link') RETURNING id`, [member.id, member.notificationId, member.campaignId, member.email]);
  await db.query(`INSERT INTO "ObjectionEvent" ("objectionId", type, "actorType", "actorId", detail) VALUES ($1, 'created', 'member', $2, '{"source":"email_link"}'), ($1, 'receipt_sent', 'system', 'objection-receipt', '{}')`, [rows[0]!.id, member.id]);
  return { member, objection: rows[0]!.id };
};

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

  test("as an admin, the queue, an objection and the import page fit, with the menu whole; the timeline speaks plainly", async ({ page, db, asAdmin, createMember }) => {
    const admin = await asAdmin("admin");
    const { objection } = await objectionFor(db, await createMember({ country: "DE", locale: "de" }));
    await db.query(`INSERT INTO "AuditEvent" ("actorType", "actorId", action, "targetType", "targetId") VALUES ('admin', $1, 'reveal', 'objection', $2)`, [admin.id, objection]);
    for (const path of ["/admin/objections", `/admin/objections/${objection}`, "/admin/objections/import"]) await expectFitsThePhone(page, path, "Objections");
    // How the objection was made, and which automatic email went out: no enum value, no job's name.
    await page.goto(`/admin/objections/${objection}`);
    const timeline = page.getByTestId("timeline");
    await expect(timeline).toContainText("Objected by email link");
    await expect(timeline).toContainText("Receipt sent");
    await expect(timeline).toContainText("Automatic receipt email");
    await expect(timeline).not.toContainText("objection-receipt");
    await expect(timeline).not.toContainText("email_link");
  });

  test("as an admin, the member and suppression pages fit, with the menu whole", async ({ page, db, asAdmin, createMember }) => {
    await asAdmin("admin");
    const { member } = await objectionFor(db, await createMember());
    await expectFitsThePhone(page, "/admin/members", "Members");
    await expectFitsThePhone(page, `/admin/members/${member.id}`, "Members");
    await expectFitsThePhone(page, "/admin/suppressions", "Suppressions");
  });

  test("as an admin, the dashboard and the campaign pages fit, with the menu whole", async ({ page, db, asAdmin }) => {
    await asAdmin("admin");
    const campaign = await createCampaign({ db, name: `phone ${randomUUID()}`, channels: ["email", "in_app"], countries: ["DE"] });
    await expectFitsThePhone(page, "/admin", "Dashboard");
    for (const path of ["/admin/campaigns", "/admin/campaigns/new", `/admin/campaigns/${campaign.id}`]) await expectFitsThePhone(page, path, "Campaigns");
  });

  test("as an admin, exports, an export run, the audit log, the team, webhooks and sessions fit, with the menu whole", async ({ page, db, asAdmin }) => {
    const admin = await asAdmin("admin");
    const campaign = await createCampaign({ db, name: `phone ${randomUUID()}`, channels: ["email"], countries: ["DE"] });
    const run = (
      await db.query<{ id: string }>(
        `INSERT INTO "ExportRun" (cutoff, format, location, status, files, "finishedAt") VALUES (now(), 'csv', '/tmp/exports', 'succeeded', $1, now()) RETURNING id`,
        [JSON.stringify([{ name: "snapshot.csv", kind: "snapshot", rows: 1, bytes: 120, sha256: "a".repeat(64) }])],
      )
    ).rows[0]!.id;
    await db.query(`INSERT INTO "AuditEvent" ("actorType", "actorId", action, "targetType", "targetId") VALUES ('admin', $1, 'campaign_create', 'campaign', $2), ('admin', $1, 'export_download', 'export', $3)`, [admin.id, campaign.id, run]);
    await expectFitsThePhone(page, "/admin/exports", "Exports");
    await expectFitsThePhone(page, `/admin/exports/${run}`, "Exports");
    await expectFitsThePhone(page, "/admin/audit", "Audit log");
    await expectFitsThePhone(page, "/admin/team", "Team");
    // The team table keeps "(you)" whole, on one line of its own.
    const you = page.getByRole("table").getByText("(you)", { exact: true });
    await expect(you).toBeVisible();
    expect((await you.boundingBox())?.height).toBeLessThan(24);
    await expectFitsThePhone(page, "/admin/webhooks", "Webhooks");
    await expectFitsThePhone(page, "/admin/sessions", "Sessions");
  });

  test("a reviewer's menu has no Team and no Webhooks, and every section it has fits", async ({ page, asAdmin }) => {
    await asAdmin("reviewer");
    await page.goto("/admin/objections");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    for (const name of ["Team", "Webhooks"]) await expect(menu(page).getByRole("link", { name })).toHaveCount(0);
    for (const name of SECTIONS.filter((section) => section !== "Team" && section !== "Webhooks")) await expect(menu(page).getByRole("link", { name, exact: true })).toBeInViewport();
    await expect(menu(page).locator('[aria-current="page"]')).toHaveText("Objections");
    expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
    await expectNoViolations(page);
  });
});
