import { randomUUID } from "node:crypto";

import { createCampaign } from "../test/factories";
import { expectNoViolations } from "./axe";
import { expect, test } from "./fixtures";

// Liechtenstein: no other spec makes members there, so its row of the country table is this spec's.
const COUNTRY = "LI";

test.describe("admin dashboard", () => {
  test("a viewer sees the totals, the charts, the country table and the last export, with zero axe violations", async ({ page, db, asAdmin, createMember }) => {
    const member = await createMember({ country: COUNTRY });
    await db.query(`INSERT INTO "Objection" ("memberId", "notificationId", "campaignId", email, country, source) VALUES ($1, $2, $3, $4, $5, 'email_link')`, [member.id, member.notificationId, member.campaignId, member.email, COUNTRY]);
    await asAdmin("viewer");

    // With no stored figures the page asks the worker for them, says so, and updates by itself.
    await db.query(`DELETE FROM "DashboardSummary"`);
    await page.goto("/admin");
    await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
    const computing = page.getByText("First figures are being computed");
    const totals = page.getByRole("region", { name: "Totals" });
    await expect(computing.or(totals)).toBeVisible();
    if (await computing.isVisible()) {
      await expect(page.getByRole("progressbar", { name: "Computing the first figures" })).toBeVisible();
      await expectNoViolations(page);
    }
    await expect(totals).toBeVisible({ timeout: 30_000 });

    for (const label of ["Members eligible", "Notified by email", "Notified in-app", "Seen a notice", "Clicked a link", "Objections in effect", "Withdrawn"]) {
      await expect(totals.getByText(label, { exact: true })).toBeVisible();
    }
    for (const chart of [/^Funnel: Notified [\d,]+/, /^Objections made per day over the last 90 days: [\d,]+ in all/, /^Channel mix: Email only [\d,]+/, /^Source mix: .*Email link [\d,]+/]) {
      await expect(page.getByRole("img", { name: chart })).toBeVisible();
    }
    // Recharts has drawn the bars.
    await expect(page.locator(".recharts-bar-rectangle").first()).toBeVisible();

    const countries = page.getByRole("region", { name: "By country" });
    const row = countries.getByRole("row", { name: /Liechtenstein \(LI\)/ });
    await expect(row).toBeVisible();
    const objected = Number((await row.getByRole("cell").nth(2).innerText()).replace(/,/g, ""));
    expect(objected).toBeGreaterThanOrEqual(1);

    const lastExport = page.getByRole("region", { name: "Last export" });
    await expect(lastExport.getByRole("heading", { name: "Last export" })).toBeVisible();
    await expect(lastExport.getByRole("link", { name: "All export runs" })).toBeVisible();

    await expectNoViolations(page);
  });

  test("Needs attention, at the top, names what waits for a person, each line linking to its filtered list", async ({ page, db, asAdmin }) => {
    const reviewer = await asAdmin("reviewer");
    // A rejection waiting for a second reviewer, on an objection made without a link: unmatched too.
    await db.query(`INSERT INTO "Objection" (email, country, source, "rejectionReason", "rejectionRequestedBy", "rejectionRequestedAt") VALUES ($1, $2, 'direct', 'A test.', $3, now())`, [
      `pending-${randomUUID()}@example.eu`,
      COUNTRY,
      reviewer.id,
    ]);
    const failed = await createCampaign({ db, name: `needs attention ${randomUUID()}`, countries: [COUNTRY], status: "failed", launchedAt: "now", failedAt: "now", failureReason: "SMTP unavailable" });

    await page.goto("/admin");
    const attention = page.getByRole("region", { name: "Needs attention" });
    await expect(attention).toBeVisible();
    // It is where the dashboard starts: the first section under the page's heading.
    await expect(page.locator("main section").first()).toHaveAttribute("aria-labelledby", "attention-title");
    await expect(attention.getByRole("link", { name: /^\d+\+? rejections? waits? for a second reviewer$/ })).toHaveAttribute("href", "/admin/objections?status=rejection_pending");
    await expect(attention.getByRole("link", { name: /^\d+\+? objections? (is|are) not matched to an account$/ })).toHaveAttribute("href", "/admin/objections?status=unmatched");
    const campaigns = attention.getByRole("link", { name: /^\d+\+? campaigns? (is|are) not sending: \d+\+? failed/ });
    await expect(campaigns).toHaveAttribute("href", "/admin/campaigns?status=attention");
    await expect(attention.getByText("Nothing needs attention")).toHaveCount(0);
    await expectNoViolations(page);

    await campaigns.click();
    await expect(page.getByText("Showing only campaigns that are paused or failed.")).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: failed.name })).toBeVisible();
    // Only paused and failed ones: no other status badge in the list.
    await expect(page.getByRole("table").locator("tbody tr").getByText(/^(done|running|draft)$/i)).toHaveCount(0);
    await expectNoViolations(page);
  });

  test.describe("on a 390 px phone", () => {
    test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

    test("the dashboard, the campaign pages and the exports page do not scroll sideways", async ({ page, db, asAdmin }) => {
      await asAdmin("admin");
      const draft = await createCampaign({ db, name: `phone ${randomUUID()}`, countries: [COUNTRY] });
      for (const path of ["/admin", "/admin/campaigns?status=attention", "/admin/campaigns/new", `/admin/campaigns/${draft.id}`, "/admin/exports"]) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
      }
      await page.goto("/admin");
      await expectNoViolations(page);
    });
  });

  test.describe("on a phone (375 px wide)", () => {
    test.use({ viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true });

    test("the dashboard fits the screen; only the country table scrolls sideways", async ({ page, asAdmin }) => {
      await asAdmin("viewer");
      await page.goto("/admin");
      await expect(page.getByRole("region", { name: "Totals" })).toBeVisible({ timeout: 30_000 });
      await expect(page.getByRole("img", { name: /^Funnel/ })).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await expectNoViolations(page);
    });
  });
});
