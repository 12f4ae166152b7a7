import { randomUUID } from "node:crypto";

import type { Page } from "@playwright/test";

import { createCampaign, createMember as createMemberRow } from "../test/factories";
import { expectNoViolations } from "./axe";
import { auditCount, countRows, expect, test } from "./fixtures";

// The console's campaign pages (moved from admin-console.spec.ts): every campaign here reaches
// this file's own country, so its tests stay in one file.

// LI (Liechtenstein): no other e2e test puts members there, so this file's campaign stays tiny.
const COUNTRY = "LI";

const eligibleIn = (db: import("pg").Pool, country: string) =>
  countRows(
    db,
    `SELECT count(*) FROM "Member" m WHERE m.country = $1 AND m."birthDate" <= (now() AT TIME ZONE 'UTC')::date - interval '18 years'
       AND NOT EXISTS (SELECT 1 FROM "Objection" o WHERE o."memberId" = m.id AND o.status = 'effective')`,
    [country],
  );

/** A member no campaign told yet: the fixture's member has a sent email of a done campaign of its own, so an earlier campaign already reached them. */
const untoldMember = (db: import("pg").Pool, country: string, locale = "en") => createMemberRow({ db, externalId: `e2e-${randomUUID()}`, country, locale });

/** axe on a campaign's page, its email preview (a sandboxed frame) checked as an element. */
const expectNoViolationsAroundPreview = (page: Page) => expectNoViolations(page, { exclude: "iframe[sandbox]" });

test.describe("admin console: campaigns, exports, audit log, team", () => {
  test("a campaign created and launched from the UI drives its progress bar to done; previews, a test email, and the audit log", async ({ page, db, asAdmin, inbox }) => {
    const admin = await asAdmin("admin");
    const members = [await untoldMember(db, COUNTRY), await untoldMember(db, COUNTRY, "de"), await untoldMember(db, COUNTRY, "fr")];

    await page.goto("/admin/campaigns");
    await expect(page.getByRole("heading", { level: 1, name: "Campaigns" })).toBeVisible();
    await expectNoViolations(page);
    await page.getByRole("link", { name: "New campaign" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "New campaign" })).toBeVisible();

    const name = `e2e campaign ${randomUUID()}`;
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Liechtenstein (LI)").check();
    const eligible = await eligibleIn(db, COUNTRY);
    expect(eligible).toBeGreaterThanOrEqual(3);
    // The counters' estimate at once; the exact count when asked.
    const audience = page.getByTestId("campaign-audience-estimate");
    await expect(audience).toHaveText(/^Estimated audience if launched now: about \d+ members?\.$/);
    await page.getByRole("button", { name: "Count exactly" }).click();
    await expect(audience).toHaveText(`Audience if launched now: ${eligible} members.`);
    await expect(page.getByRole("button", { name: "Count exactly" })).toHaveCount(0);
    await expectNoViolations(page);
    await page.getByRole("button", { name: "Create draft" }).click();

    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page).toHaveURL(/\/admin\/campaigns\/[0-9a-f-]{36}$/);
    const campaignId = page.url().split("/").pop()!;
    await expect(page.getByTestId("campaign-audience-estimate")).toHaveText(/^Estimated audience if launched now: about \d+ members?\. It counts adults/);
    await expect(page.getByRole("button", { name: "Count exactly" })).toBeVisible();
    await expect(page.getByTitle("Email preview in English")).toBeVisible();
    await expectNoViolationsAroundPreview(page);

    // Every language, and a test email to the admin's own address.
    await page.getByRole("button", { name: "German" }).click();
    await expect(page.getByTitle("Email preview in German")).toBeVisible();
    await page.getByRole("button", { name: "Send me a test email" }).click();
    await expect(page.getByText("Test email sent to your own address.")).toBeVisible();
    const testEmail = await inbox.waitForEmailTo(admin.email);
    expect(testEmail.subject).toMatch(/^\[Test\] /);
    const testAudit = await db.query<{ detail: unknown }>(`SELECT detail FROM "AuditEvent" WHERE "actorId" = $1 AND action = 'campaign_test_email'`, [admin.id]);
    expect(testAudit.rows).toEqual([{ detail: { locale: "de" } }]);

    await page.getByRole("button", { name: "Launch" }).click();
    await page.getByRole("button", { name: "Launch now" }).click();
    await expect(page.getByTestId("campaign-progress-summary")).toHaveText(/^Done: /, { timeout: 45_000 });

    const stored = await db.query<{ status: string; total: number }>(`SELECT status, total FROM "Campaign" WHERE id = $1`, [campaignId]);
    const total = stored.rows[0]!.total;
    expect(stored.rows[0]!.status).toBe("done");
    expect(total).toBeGreaterThanOrEqual(3);
    await expect(page.getByTestId("campaign-count-total")).toHaveText(String(total));
    await expect(page.getByTestId("campaign-count-sent")).toHaveText(String(total));
    await expect(page.getByRole("progressbar", { name: "Sending progress" })).toHaveAttribute("aria-valuenow", String(total));
    for (const member of members) await inbox.waitForEmailTo(member.email);
    await expectNoViolationsAroundPreview(page);

    expect(await auditCount(db, admin.id, "campaign_create")).toBe(1);
    expect(await auditCount(db, admin.id, "campaign_launch")).toBe(1);

    // The audit log, filtered by action in its form.
    await page.goto("/admin/audit");
    await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
    await page.getByLabel("Admin").selectOption(admin.id);
    await page.getByLabel("Action").selectOption("campaign_launch");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/action=campaign_launch/);
    const rows = page.getByRole("table").locator("tbody tr");
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("Launched a campaign");
    await expect(rows.first()).toContainText(admin.email);
    await expectNoViolations(page);
    await page.getByLabel("Action").selectOption("campaign_create");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("Created a campaign");
  });

  test("a failed campaign shows why, in the list and on its page, and resuming it sends what was left", async ({ page, db, asAdmin, createMember, inbox }) => {
    const admin = await asAdmin("admin");
    // Outside the EEA, so no other campaign's audience takes them: only this campaign's rows name them.
    const members = [await createMember({ country: "US" }), await createMember({ country: "US" })];
    const name = `failed ${randomUUID()}`;
    const reason = "Batch 0 gave up after 61 attempts: SMTP unavailable: connect ECONNREFUSED 192.0.2.1:25";
    const { id: campaignId } = await createCampaign({ db, name, countries: [COUNTRY], status: "failed", total: 2, launchedAt: "now", audienceAt: "now", failureReason: reason, failedAt: "now" });
    await db.query(`INSERT INTO "Notification" ("memberId", "campaignId", channel, status, batch) SELECT unnest($1::uuid[]), $2, 'email', 'queued', 0`, [members.map((member) => member.id), campaignId]);

    await page.goto("/admin/campaigns");
    const row = page.getByRole("row").filter({ hasText: name });
    await expect(row).toContainText("failed");
    await expect(row).toContainText(reason);

    await page.goto(`/admin/campaigns/${campaignId}`);
    await expect(page.getByRole("alert").filter({ hasText: "Sending failed and stopped" })).toBeVisible();
    await expect(page.getByTestId("campaign-failure-reason")).toHaveText(reason);
    await expect(page.getByTestId("campaign-progress-summary")).toHaveText("Stopped: 0 of 2 handled when sending failed.");
    await expect(page.getByRole("button", { name: "Pause" })).toHaveCount(0);
    await expectNoViolationsAroundPreview(page);

    await page.getByRole("button", { name: "Resume" }).click();
    await expect(page.getByText("Resumed: sending goes on where it stopped.")).toBeVisible();
    await expect(page.getByTestId("campaign-progress-summary")).toHaveText(/^Done: 2 sent, 0 failed, of 2\.$/, { timeout: 60_000 });
    await expect(page.getByTestId("campaign-failure-reason")).toHaveCount(0);
    for (const member of members) await inbox.waitForEmailTo(member.email);
    const stored = await db.query<{ status: string; failureReason: string | null }>(`SELECT status, "failureReason" FROM "Campaign" WHERE id = $1`, [campaignId]);
    expect(stored.rows[0]).toEqual({ status: "done", failureReason: null });
    expect(await auditCount(db, admin.id, "campaign_resume")).toBe(1);
  });

  test("a follow-up picked in the form counts only the members the earlier campaign missed, and its page links back to it", async ({ page, db, asAdmin }) => {
    const admin = await asAdmin("admin");
    // Iceland: no other e2e test puts members there, so the count before picking a follow-up is this test's members.
    const country = "IS";
    const [reached, failed, bounced] = [await untoldMember(db, country), await untoldMember(db, country), await untoldMember(db, country)];
    const earlierName = `earlier ${randomUUID()}`;
    const earlier = await createCampaign({ db, name: earlierName, countries: [country], status: "done", total: 3, launchedAt: "now", audienceAt: "now", completedAt: "now" });
    const earlierId = earlier.id;
    const finished = earlier.completedAt!.toISOString().slice(0, 10);
    await db.query(
      `INSERT INTO "Notification" ("memberId", "campaignId", channel, status, batch, "sentAt", "bounceKind", "bouncedAt")
       VALUES ($1, $4, 'email', 'sent', 0, now(), NULL, NULL), ($2, $4, 'email', 'failed', 0, NULL, NULL, NULL), ($3, $4, 'email', 'sent', 0, now(), 'hard', now())`,
      [reached.id, failed.id, bounced.id, earlierId],
    );

    await page.goto("/admin/campaigns/new");
    await expect(page.getByRole("heading", { level: 1, name: "New campaign" })).toBeVisible();
    const name = `e2e follow-up ${randomUUID()}`;
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Iceland (IS)").check();
    const eligible = await eligibleIn(db, country);
    expect(eligible).toBeGreaterThanOrEqual(3);
    // The earlier campaign reached one of them: the exact count says so, and offers to leave them out.
    await page.getByRole("button", { name: "Count exactly" }).click();
    await expect(page.getByTestId("campaign-audience-estimate")).toHaveText(`Audience if launched now: ${eligible} members; 1 of them was already reached by an earlier campaign.`);
    await expect(page.getByRole("radio", { name: `Only those not yet reached by an earlier campaign: ${eligible - 1} members` })).toBeChecked();

    // The failed and the bounced email did not reach their members; the accepted one did.
    await page.getByLabel("Only members not reached by").selectOption({ label: `${earlierName} (finished ${finished})` });
    // The estimate: the earlier campaign's audience less those it reached, no more than the eligible.
    await expect(page.getByTestId("campaign-audience-estimate")).toHaveText(/^Estimated audience if launched now: about \d+ members? that campaign did not reach\.$/);
    await page.getByRole("button", { name: "Count exactly" }).click();
    await expect(page.getByTestId("campaign-audience-estimate")).toHaveText("Audience if launched now: 2 members that campaign did not reach.");
    // Nobody in a follow-up's audience was reached: nothing to leave out, no choice to make.
    await expect(page.getByRole("radio")).toHaveCount(0);
    await expectNoViolations(page);
    await page.getByRole("button", { name: "Create draft" }).click();

    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page).toHaveURL(/\/admin\/campaigns\/[0-9a-f-]{36}$/);
    const campaignId = page.url().split("/").pop()!;
    await expect(page.getByText(`Follow-up to ${earlierName}: only members it did not reach`)).toBeVisible();
    const stored = await db.query<{ notReachedById: string | null; status: string }>(`SELECT "notReachedById", status FROM "Campaign" WHERE id = $1`, [campaignId]);
    expect(stored.rows[0]).toEqual({ notReachedById: earlierId, status: "draft" });
    const created = await db.query<{ detail: { notReachedBy?: string } }>(`SELECT detail FROM "AuditEvent" WHERE "actorId" = $1 AND action = 'campaign_create' AND "targetId" = $2`, [admin.id, campaignId]);
    expect(created.rows.map((row) => row.detail.notReachedBy)).toEqual([earlierId]);

    const link = page.getByRole("link", { name: earlierName });
    await expect(link).toHaveAttribute("href", `/admin/campaigns/${earlierId}`);
    await link.click();
    await expect(page.getByRole("heading", { level: 1, name: earlierName })).toBeVisible();
  });

  test("before launch, the console says who was already reached by an earlier campaign and leaves them out by default; the launch message goes once done", async ({
    page,
    db,
    asAdmin,
    inbox,
  }) => {
    const admin = await asAdmin("admin");
    // Slovakia: no other e2e test puts members there, so the audience is this test's two members.
    const country = "SK";
    const [reached, notYet] = [await untoldMember(db, country), await untoldMember(db, country)];
    const earlier = await createCampaign({ db, name: `told before ${randomUUID()}`, countries: [country], status: "done", total: 1, launchedAt: "now", audienceAt: "now", completedAt: "now" });
    await db.query(`INSERT INTO "Notification" ("memberId", "campaignId", channel, status, batch, "sentAt") VALUES ($1, $2, 'email', 'sent', 0, now())`, [reached.id, earlier.id]);

    await page.goto("/admin/campaigns/new");
    const name = `not twice ${randomUUID()}`;
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Slovakia (SK)").check();
    // The estimate cannot tell who was reached: since a campaign reached someone, leaving them out is the default.
    await expect(page.getByTestId("campaign-audience-estimate")).toHaveText(/^Estimated audience if launched now: about \d+ members?\.$/);
    await expect(page.getByRole("radio", { name: "Only those not yet reached by an earlier campaign" })).toBeChecked();
    await page.getByRole("button", { name: "Count exactly" }).click();
    await expect(page.getByTestId("campaign-audience-estimate")).toHaveText("Audience if launched now: 2 members; 1 of them was already reached by an earlier campaign.");
    await expect(page.getByRole("radio", { name: "Only those not yet reached by an earlier campaign: 1 member" })).toBeChecked();
    await expect(page.getByRole("radio", { name: "Everyone eligible, again if an earlier campaign reached them: 2 members" })).not.toBeChecked();
    await expectNoViolations(page);
    await page.getByRole("button", { name: "Create draft" }).click();

    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page).toHaveURL(/\/admin\/campaigns\/[0-9a-f-]{36}$/);
    const campaignId = page.url().split("/").pop()!;
    await expect(page.getByTestId("campaign-audience-estimate")).toContainText(/^Estimated audience if launched now: about \d+ members?\./);
    await page.getByRole("button", { name: "Count exactly" }).click();
    await expect(page.getByTestId("campaign-audience-estimate")).toContainText("Audience if launched now: 2 members; 1 of them was already reached by an earlier campaign.");

    // The dialog says who is left out, and offers to tell everyone again instead.
    await page.getByRole("button", { name: "Launch" }).click();
    const dialog = page.getByRole("dialog", { name: "Launch this campaign?" });
    await expect(dialog).toContainText("About 1 member will be notified; the 1 member an earlier campaign already reached is left out.");
    await dialog.getByRole("radio", { name: /^Everyone eligible/ }).check();
    await expect(dialog).toContainText("About 2 members will be notified, 1 of them again: an earlier campaign already reached this member.");
    await dialog.getByRole("radio", { name: /^Only those not yet reached/ }).check();
    await expectNoViolationsAroundPreview(page);
    await dialog.getByRole("button", { name: "Launch now" }).click();
    await expect(page.getByTestId("campaign-progress-summary")).toHaveText(/^Done: /, { timeout: 45_000 });
    // "The audience is being computed" was news while it ran; beside a finished campaign it is stale.
    await expect(page.getByText(/the audience is being computed/)).toHaveCount(0);
    await expect(page.getByText("Only members no earlier campaign reached")).toBeVisible();

    const told = await db.query<{ memberId: string }>(`SELECT DISTINCT "memberId" FROM "Notification" WHERE "campaignId" = $1`, [campaignId]);
    expect(told.rows.map((row) => row.memberId)).toEqual([notYet.id]);
    await inbox.waitForEmailTo(notYet.email);
    const launched = await db.query<{ detail: unknown }>(`SELECT detail FROM "AuditEvent" WHERE "actorId" = $1 AND action = 'campaign_launch' AND "targetId" = $2`, [admin.id, campaignId]);
    expect(launched.rows).toEqual([{ detail: { onlyNotYetReached: true } }]);
  });
});
