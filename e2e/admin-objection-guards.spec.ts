import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";

import type { Page } from "@playwright/test";
import type pg from "pg";

import { createMember as createMemberRow } from "../test/factories";
import { ADMIN_BASE_URL } from "./admin-fixtures";
import { expectNoViolations } from "./axe";
import { expect, test } from "./fixtures";
import { uniqueDay } from "./unique-day";

// The console's guards: a match previews the member and needs a reason when they differ, a match
// can be undone, the rejection dialog names the email's language, the CSV with addresses needs a
// reason, and the queue lists the waiting work.

const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** An objection made without a link, on a day of its own so the queue can be filtered to this test's rows. */
const insertObjection = async (db: pg.Pool, { email, country, day, memberId = null, status = "effective", pending = false }: { email: string; country: string; day: string; memberId?: string | null; status?: string; pending?: boolean }) =>
  (
    await db.query<{ id: string }>(
      `INSERT INTO "Objection" ("memberId", email, country, source, status, "effectiveAt", "withdrawnAt", "rejectionReason", "rejectionRequestedBy", "rejectionRequestedAt")
       VALUES ($1, $2, $3, 'direct', $4::"ObjectionStatus", $5::timestamptz, CASE WHEN $4 = 'withdrawn' THEN $5::timestamptz END,
               CASE WHEN $6 THEN 'Duplicate.' END, CASE WHEN $6 THEN gen_random_uuid() END, CASE WHEN $6 THEN now() END)
       RETURNING id`,
      [memberId, email, country, status, `${day}T10:00:00Z`, pending],
    )
  ).rows[0]!.id;

/** A day in the past no other test uses, so the queue shows only this test's rows: 1900–1949, before the days the objections spec uses (1950–1999), and before anything real. */
const ownDay = () => uniqueDay({ from: "1900-01-01", days: 18_000 });

const auditOf = async (db: pg.Pool, { action, actorId }: { action: string; actorId: string }) =>
  (await db.query<{ targetId: string | null; detail: Record<string, unknown> }>(`SELECT "targetId", detail FROM "AuditEvent" WHERE action = $1::"AuditAction" AND "actorId" = $2 ORDER BY id`, [action, actorId])).rows;

test.describe("console guards", () => {
  test("a match shows the member and their differences, needs a reason, is audited, and can be undone with a reason", async ({ page, db, asAdmin }) => {
    const reviewer = await asAdmin("reviewer");
    const suffix = randomUUID().slice(0, 8);
    const objectionId = await insertObjection(db, { email: `new.person-${suffix}@example.com`, country: "DE", day: ownDay() });
    const member = await createMemberRow({ db, externalId: `e2e-guard-${suffix}`, email: `other-${suffix}@example.org`, country: "AT", locale: "de" });

    await page.goto(`${ADMIN_BASE_URL}/admin/objections/${objectionId}`);
    await page.getByRole("button", { name: "Match to a member" }).click();
    const dialog = page.getByRole("dialog", { name: "Match to a member" });
    await dialog.getByLabel("Member external id").fill(member.externalId);
    await dialog.getByRole("button", { name: "Find member" }).click();

    const preview = dialog.getByTestId("match-preview");
    await expect(preview).toContainText(member.externalId);
    await expect(preview).toContainText("o•••@example.org");
    await expect(preview).toContainText("German (de)");
    await expect(preview).toContainText("Austria (AT)");
    await expect(preview).not.toContainText(member.email);
    await expect(dialog.getByTestId("match-warnings").locator("li")).toHaveText([
      "The member's email address (o•••@example.org) is not the one the objection was made with (n•••@example.com).",
      "The member's country is Austria (AT); the objection gives Germany (DE).",
    ]);
    await expectNoViolations(page);

    // No reason: refused in the dialog, nothing changes.
    await dialog.getByRole("button", { name: "Match", exact: true }).click();
    await expect(dialog.getByText("Write why this is the same person")).toBeVisible();
    expect((await db.query(`SELECT 1 FROM "Objection" WHERE id = $1 AND "memberId" IS NULL`, [objectionId])).rowCount).toBe(1);

    await dialog.getByLabel("Why is this the same person?").fill("Support ticket 4411: the person moved to Austria.");
    await dialog.getByRole("button", { name: "Match", exact: true }).click();
    await expect(page.getByTestId("objection-external-id")).toHaveText(member.externalId);
    await expect(page.getByTestId("timeline")).toContainText("Support ticket 4411");
    expect((await auditOf(db, { action: "objection_match", actorId: reviewer.id })).map((row) => [row.targetId, row.detail.reason, row.detail.differences])).toEqual([
      [objectionId, "Support ticket 4411: the person moved to Austria.", ["email", "country"]],
    ]);

    await page.getByRole("button", { name: "Unmatch…" }).click();
    const undo = page.getByRole("dialog", { name: "Undo the match" });
    await expect(undo).toContainText(member.externalId);
    await undo.getByRole("button", { name: "Unmatch", exact: true }).click();
    await expect(undo.getByText("Write why the match was wrong.")).toBeVisible();
    await expectNoViolations(page);
    await undo.getByLabel("Why was the match wrong?").fill("The ticket was about another account.");
    await undo.getByRole("button", { name: "Unmatch", exact: true }).click();
    await expect(page.getByTestId("timeline")).toContainText("Match undone");
    await expect(page.getByTestId("objection-external-id")).toHaveText("Not matched");
    await expect(page.getByRole("button", { name: "Match to a member" })).toBeVisible();
    expect((await auditOf(db, { action: "objection_unmatch", actorId: reviewer.id })).map((row) => [row.targetId, row.detail.reason])).toEqual([[objectionId, "The ticket was about another account."]]);
    expect((await db.query<{ status: string; memberId: string | null }>(`SELECT status, "memberId" FROM "Objection" WHERE id = $1`, [objectionId])).rows[0]).toEqual({ status: "effective", memberId: null });
  });

  test("the rejection dialog names the member's language and shows the email's fixed text in it", async ({ page, db, asAdmin }) => {
    await asAdmin("reviewer");
    const member = await createMemberRow({ db, externalId: `e2e-de-${randomUUID()}`, country: "DE", locale: "de" });
    const objectionId = await insertObjection(db, { email: member.email, country: "DE", day: ownDay(), memberId: member.id });
    await page.goto(`${ADMIN_BASE_URL}/admin/objections/${objectionId}`);
    await page.getByRole("button", { name: "Reject…" }).click();
    const dialog = page.getByRole("dialog", { name: "Request a rejection" });
    await expect(dialog.getByTestId("rejection-language")).toContainText("The person reads German (de).");
    await expect(dialog.getByLabel("Reason (sent to the person)")).toHaveAccessibleDescription("Write it in German (de).");
    const text = dialog.getByTestId("rejection-email-text");
    await expect(text).toContainText("Ihr Widerspruch wurde abgelehnt");
    await expect(text.locator("[lang=de]")).toHaveCount(1);
    await expectNoViolations(page);
  });

  test("the queue lists waiting work by status, and a CSV with addresses needs a reason, which is audited", async ({ page, db, asAdmin }) => {
    const reviewer = await asAdmin("reviewer");
    const day = ownDay();
    const domain = `guards-${randomUUID().slice(0, 8)}.example`;
    const member = await createMemberRow({ db, externalId: `e2e-q-${randomUUID()}`, email: `matched@${domain}`, country: "FR" });
    const unmatched = await insertObjection(db, { email: `loose@${domain}`, country: "FR", day });
    const pending = await insertObjection(db, { email: `pending@${domain}`, country: "FR", day, memberId: member.id, pending: true });
    await insertObjection(db, { email: `gone@${domain}`, country: "FR", day, status: "withdrawn" });

    const rowLinks = page.getByRole("table").getByRole("link", { name: /open objection/ });
    await page.goto(`${ADMIN_BASE_URL}/admin/objections?status=unmatched&from=${day}&to=${day}`);
    await expect(page.locator("#filter-status")).toHaveValue("unmatched");
    await expect(page.locator("#filter-status option:checked")).toHaveText("Unmatched");
    await expect(rowLinks).toHaveCount(1);
    await expect(rowLinks.first()).toHaveAttribute("href", `/admin/objections/${unmatched}`);
    await expectNoViolations(page);
    await page.goto(`${ADMIN_BASE_URL}/admin/objections?status=rejection_pending&from=${day}&to=${day}`);
    await expect(page.locator("#filter-status option:checked")).toHaveText("Rejection pending");
    await expect(rowLinks).toHaveCount(1);
    await expect(rowLinks.first()).toHaveAttribute("href", `/admin/objections/${pending}`);
    // The queue shows the external id as the member and objection pages do.
    await expect(page.getByRole("table")).toContainText(member.externalId);

    await page.goto(`${ADMIN_BASE_URL}/admin/objections?from=${day}&to=${day}`);
    await page.getByRole("button", { name: "CSV with addresses…" }).click();
    const dialog = page.getByRole("dialog", { name: "Download a CSV with addresses" });
    await dialog.getByRole("button", { name: "Download with addresses" }).click();
    await expect(dialog.getByText("Write why you need the addresses.")).toBeVisible();
    await expectNoViolations(page);
    // The route checks the same schema: a post without a reason is a 422 that says what to do, and nothing is read.
    const bare = await page.request.post(`${ADMIN_BASE_URL}/admin/objections/download?from=${day}&to=${day}`, { form: { reason: " " }, headers: { Origin: ADMIN_BASE_URL } });
    expect(bare.status()).toBe(422);
    expect(await bare.text()).toContain("Write why you need the addresses.");
    expect(await auditOf(db, { action: "objections_download", actorId: reviewer.id })).toEqual([]);

    await dialog.getByLabel("Why do you need the addresses?").fill("The DPO asked for this day's objectors.");
    const [download] = await Promise.all([page.waitForEvent("download"), dialog.getByRole("button", { name: "Download with addresses" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^objections-with-addresses-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await download.path())!, "utf8");
    expect(csv.split("\n")[0]).toContain("email");
    for (const local of ["loose", "pending", "gone"]) expect(csv).toContain(`${local}@${domain}`);
    await expect(dialog).toBeHidden();
    const audits = await auditOf(db, { action: "objections_download", actorId: reviewer.id });
    expect(audits.map((row) => [row.detail.addresses, row.detail.reason])).toEqual([
      [true, "The DPO asked for this day's objectors."],
      [true, "The DPO asked for this day's objectors."],
    ]);
    expect(JSON.stringify(audits)).not.toContain(domain);
  });

  test.describe("on a phone (390 px wide)", () => {
    test.use({ viewport: { width: 390, height: 844 } });

    test("the queue, the match dialog and the rejection dialog fit without scrolling sideways", async ({ page, db, asAdmin }) => {
      await asAdmin("reviewer");
      const suffix = randomUUID().slice(0, 8);
      const objectionId = await insertObjection(db, { email: `phone-${suffix}@example.com`, country: "DE", day: ownDay() });
      const member = await createMemberRow({ db, externalId: `e2e-phone-${suffix}`, country: "AT", locale: "de" });

      await page.goto(`${ADMIN_BASE_URL}/admin/objections?status=unmatched`);
      await expect(page.getByRole("button", { name: "CSV with addresses…" })).toBeVisible();
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

      await page.goto(`${ADMIN_BASE_URL}/admin/objections/${objectionId}`);
      await page.getByRole("button", { name: "Match to a member" }).click();
      await page.getByLabel("Member external id").fill(member.externalId);
      await page.getByRole("button", { name: "Find member" }).click();
      await expect(page.getByTestId("match-warnings")).toBeVisible();
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await page.keyboard.press("Escape");

      await page.getByRole("button", { name: "Reject…" }).click();
      await expect(page.getByTestId("rejection-email-text")).toBeVisible();
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    });
  });
});
