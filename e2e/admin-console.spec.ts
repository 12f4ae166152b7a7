import { randomUUID } from "node:crypto";

import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

import { ADMIN_INVITATION_SUBJECT } from "../emails/admin-invitation";
import { createCampaign } from "../test/factories";
import { expectNoViolations } from "./axe";
import { countRows, expect, test } from "./fixtures";

// LI (Liechtenstein): no other e2e test puts members there, so this file's campaign stays tiny.
const COUNTRY = "LI";

const eligibleIn = (db: import("pg").Pool, country: string) =>
  countRows(
    db,
    `SELECT count(*) FROM "Member" m WHERE m.country = $1 AND m."birthDate" <= (now() AT TIME ZONE 'UTC')::date - interval '18 years'
       AND NOT EXISTS (SELECT 1 FROM "Objection" o WHERE o."memberId" = m.id AND o.status = 'effective')`,
    [country],
  );

/**
 * axe on a campaign's page. The email preview is a sandboxed frame that runs no script, so axe
 * cannot be injected into it (it would wait forever): the frame is checked as an element of the
 * page (its title), and the email inside it is not a console page.
 */
const expectNoViolationsAroundPreview = async (page: Page) => {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"])
    .exclude("iframe[sandbox]")
    .analyze();
  expect(results.violations.map(({ id, nodes }) => `${id}: ${nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
};

const auditCount = (db: import("pg").Pool, actorId: string, action: string) => countRows(db, `SELECT count(*) FROM "AuditEvent" WHERE "actorId" = $1 AND action = $2`, [actorId, action]);

test.describe("admin console: campaigns, exports, audit log, team", () => {
  test("a campaign created and launched from the UI drives its progress bar to done; previews, a test email, and the audit log", async ({ page, db, asAdmin, createMember, inbox }) => {
    const admin = await asAdmin("admin");
    const members = [await createMember({ country: COUNTRY }), await createMember({ country: COUNTRY, locale: "de" }), await createMember({ country: COUNTRY, locale: "fr" })];

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
    await expect(page.getByText(`Audience if launched now: ${eligible} members`)).toBeVisible();
    await expectNoViolations(page);
    await page.getByRole("button", { name: "Create draft" }).click();

    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page).toHaveURL(/\/admin\/campaigns\/[0-9a-f-]{36}$/);
    const campaignId = page.url().split("/").pop()!;
    await expect(page.getByText(/Audience if launched now: \d+ eligible members/)).toBeVisible();
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

  test("an export run started from the UI finishes, its files are listed and download, and both are audited", async ({ page, db, asAdmin }) => {
    const admin = await asAdmin("admin");
    await page.goto("/admin/exports");
    await expect(page.getByRole("heading", { level: 1, name: "Exports" })).toBeVisible();
    await expectNoViolations(page);

    await page.getByRole("button", { name: "Start a run now" }).click();
    await expect(page.getByText("The export run finished.")).toBeVisible({ timeout: 45_000 });
    // The newest run is the first row; its files are listed with their checksums and download links.
    const link = page.getByRole("table").locator('tbody tr').first().locator('a[href*="/files/"]').first();
    const [, id, name] = /\/admin\/exports\/([0-9a-f-]{36})\/files\/([^/]+)$/.exec((await link.getAttribute("href")) ?? "") ?? [];
    const run = await db.query<{ status: string; files: { name: string; sha256: string }[] }>(`SELECT status, files FROM "ExportRun" WHERE id = $1`, [id]);
    expect(run.rows[0]?.status).toBe("succeeded");
    const file = run.rows[0]!.files.find((candidate) => candidate.name === name)!;
    await expect(page.getByRole("table").getByText(`sha256 ${file.sha256}`)).toBeVisible();
    await expectNoViolations(page);

    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe(`${id}-${name}`);
    expect(await auditCount(db, admin.id, "export_start")).toBe(1);
    await expect.poll(() => auditCount(db, admin.id, "export_download")).toBe(1);

    await page.goto(`/admin/audit?action=export_download&admin=${admin.id}`);
    await expect(page.getByRole("table").locator("tbody tr")).toHaveCount(1);
  });

  test("an admin invites a reviewer: the email arrives and the team lists them; nobody changes their own role", async ({ page, db, asAdmin, inbox }) => {
    const admin = await asAdmin("admin");
    await page.goto("/admin/team");
    await expect(page.getByRole("heading", { level: 1, name: "Team" })).toBeVisible();
    await expectNoViolations(page);

    const email = `invited-${randomUUID()}@objection.test`;
    await page.getByRole("button", { name: "Invite an admin" }).click();
    await page.getByLabel("Work email").fill(email);
    await page.getByLabel("Role", { exact: true }).selectOption("reviewer");
    await expectNoViolations(page);
    await page.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.getByText(/Invitation sent/)).toBeVisible();
    const invitation = await inbox.waitForEmailTo(email, { subject: ADMIN_INVITATION_SUBJECT });
    expect(invitation.text).toContain("/admin/sign-in");

    const invited = await db.query<{ id: string; role: string; invitedById: string }>(`SELECT id, role, "invitedById" FROM "AdminUser" WHERE email = $1`, [email]);
    expect(invited.rows[0]).toMatchObject({ role: "reviewer", invitedById: admin.id });
    const audit = await db.query<{ detail: unknown }>(`SELECT detail FROM "AuditEvent" WHERE "actorId" = $1 AND action = 'invitation' AND "targetId" = $2`, [admin.id, invited.rows[0]!.id]);
    expect(audit.rows).toEqual([{ detail: { role: "reviewer" } }]);

    // Their role changes from the list; the admin's own row has no role control.
    await page.getByLabel(`Role of ${email}`, { exact: true }).selectOption("viewer");
    await page.getByRole("button", { name: `Save the role of ${email}` }).click();
    await expect(page.getByText("Role changed to viewer.")).toBeVisible();
    await expect(page.getByLabel(`Role of ${admin.email}`, { exact: true })).toHaveCount(0);
    await expect(page.getByRole("button", { name: `Remove access of ${admin.email}` })).toHaveCount(0);
    await page.getByRole("button", { name: `Remove access of ${email}` }).click();
    await page.getByRole("button", { name: "Remove access" }).click();
    await expect(page.getByText("Access removed. Their sessions ended.")).toBeVisible();
    expect(await auditCount(db, admin.id, "role_change")).toBe(1);
    expect(await auditCount(db, admin.id, "access_removed")).toBe(1);
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

  test("a follow-up picked in the form counts only the members the earlier campaign missed, and its page links back to it", async ({ page, db, asAdmin, createMember }) => {
    const admin = await asAdmin("admin");
    // Iceland: no other e2e test puts members there, so the count before picking a follow-up is this test's members.
    const country = "IS";
    const [reached, failed, bounced] = [await createMember({ country }), await createMember({ country }), await createMember({ country })];
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
    await expect(page.getByText(`Audience if launched now: ${eligible} members`, { exact: true })).toBeVisible();

    // The failed and the bounced email did not reach their members; the accepted one did.
    await page.getByLabel("Only members not reached by").selectOption({ label: `${earlierName} (finished ${finished})` });
    await expect(page.getByText("Audience if launched now: 2 members that campaign did not reach", { exact: true })).toBeVisible();
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

  test("a viewer reads campaigns, exports and the audit log, but every admin action answers 403", async ({ page, db, asAdmin }) => {
    const viewer = await asAdmin("viewer");
    for (const path of ["/admin/campaigns", "/admin/exports", "/admin/audit"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
    }
    await expect(page.getByRole("button", { name: "Start a run now" })).toHaveCount(0);
    const draft = await createCampaign({ db, name: `viewer ${randomUUID()}`, countries: ["LI"] });
    expect((await page.goto(`/admin/campaigns/${draft.id}`))?.status()).toBe(200);
    await expect(page.getByTitle("Email preview in English")).toBeVisible();
    await expect(page.getByRole("button", { name: "Launch" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Send me a test email" })).toHaveCount(0);
    expect((await page.goto("/admin/team"))?.status()).toBe(403);
    expect((await page.goto("/admin/campaigns/new"))?.status()).toBe(403);
    expect((await page.goto(`/admin/campaigns/${randomUUID()}`))?.status()).toBe(404);

    const start = await page.request.post("/admin/exports/runs");
    expect(start.status()).toBe(403);
    const run = await db.query<{ id: string; name: string }>(`SELECT id, files->0->>'name' AS name FROM "ExportRun" WHERE status = 'succeeded' AND files IS NOT NULL LIMIT 1`);
    const download = await page.request.get(`/admin/exports/${run.rows[0]?.id ?? randomUUID()}/files/${run.rows[0]?.name ?? "snapshot.csv"}`);
    expect(download.status()).toBe(403);
    expect(await countRows(db, `SELECT count(*) FROM "AuditEvent" WHERE "actorId" = $1 AND action IN ('export_start', 'export_download')`, [viewer.id])).toBe(0);

    // Without a session: 401, not a redirect.
    await page.context().clearCookies();
    expect((await page.request.post("/admin/exports/runs")).status()).toBe(401);
  });
});

test.describe("admin console on a phone (375 px wide)", () => {
  test.use({ viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true });

  test("campaigns, a campaign, exports, the audit log and the team fit the screen; wide tables scroll inside their box", async ({ page, db, asAdmin }) => {
    const admin = await asAdmin("admin");
    const campaign = await createCampaign({ db, name: `phone ${randomUUID()}`, channels: ["email", "in_app"], countries: ["LI"] });
    await db.query(`INSERT INTO "AuditEvent" ("actorType", "actorId", action, "targetType", "targetId") VALUES ('admin', $1, 'campaign_create', 'campaign', $2)`, [admin.id, campaign.id]);
    for (const path of ["/admin/campaigns", `/admin/campaigns/${campaign.id}`, "/admin/campaigns/new", "/admin/exports", "/admin/audit", "/admin/team"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });
});
