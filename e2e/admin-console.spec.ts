import { randomUUID } from "node:crypto";

import { ADMIN_INVITATION_SUBJECT } from "../emails/admin-invitation";
import { createCampaign } from "../test/factories";
import { expectNoViolations } from "./axe";
import { auditCount, countRows, expect, test } from "./fixtures";

test.describe("admin console: campaigns, exports, audit log, team", () => {
  test("an export run started from the UI finishes, its files are listed and download, and both are audited", async ({ page, db, asAdmin }) => {
    const admin = await asAdmin("admin");
    await page.goto("/admin/exports");
    await expect(page.getByRole("heading", { level: 1, name: "Exports" })).toBeVisible();
    await expectNoViolations(page);

    await page.getByRole("button", { name: "Start a run now" }).click();
    await expect(page.getByText(/^Succeeded: the export run finished\./)).toBeVisible({ timeout: 45_000 });
    // The newest run is the first row; its files are listed with their checksums and download links.
    const link = page.getByRole("table").locator('tbody tr').first().locator('a[href*="/files/"]').first();
    const [, id, name] = /\/admin\/exports\/([0-9a-f-]{36})\/files\/([^/]+)$/.exec((await link.getAttribute("href")) ?? "") ?? [];
    const run = await db.query<{ status: string; files: { name: string; sha256: string }[] }>(`SELECT status, files FROM "ExportRun" WHERE id = $1`, [id]);
    expect(run.rows[0]?.status).toBe("succeeded");
    const file = run.rows[0]!.files.find((candidate) => candidate.name === name)!;
    await expect(page.getByRole("table").getByText(`sha256 ${file.sha256}`)).toBeVisible();
    // The panel and the table say the same of the run, in the same words.
    await expect(page.getByRole("table").locator("tbody tr").first().getByText("Succeeded", { exact: true })).toBeVisible();
    // At 1280 px (Playwright's default width) every column shows: the table does not scroll sideways.
    expect(page.viewportSize()?.width).toBe(1280);
    const overflow = await page.getByRole("table").evaluate((table) => table.parentElement!.scrollWidth - table.parentElement!.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectNoViolations(page);

    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe(`${id}-${name}`);
    expect(await auditCount(db, admin.id, "export_start")).toBe(1);
    await expect.poll(() => auditCount(db, admin.id, "export_download")).toBe(1);

    await page.goto(`/admin/audit?action=export_download&admin=${admin.id}`);
    await expect(page.getByRole("table").locator("tbody tr")).toHaveCount(1);
    // The download names the run, which exists: its link opens the run's own page.
    await page.getByRole("table").getByRole("link", { name: "Export run" }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/exports/${id}$`));
    await expect(page.getByRole("heading", { level: 1, name: "Export run" })).toBeVisible();
    await expect(page.getByRole("table").getByText(`sha256 ${file.sha256}`)).toBeVisible();
    await expectNoViolations(page);
    // Starting one names the job that made the run, not a run: words, and no link that leads nowhere.
    await page.goto(`/admin/audit?action=export_start&admin=${admin.id}`);
    const started = page.getByRole("table").locator("tbody tr");
    await expect(started).toHaveCount(1);
    await expect(started).toContainText("An export, queued");
    await expect(started.getByRole("link")).toHaveCount(0);
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
