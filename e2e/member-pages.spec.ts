import type { Page } from "@playwright/test";
import type pg from "pg";

import de from "../messages/de.json";
import en from "../messages/en.json";
import { formatDay } from "../lib/i18n/date-format";
import { expectNoViolations } from "./axe";
import { expect, test, type TTestMember } from "./fixtures";
import { E2E_TRAINING_STARTS_AT } from "./training-start";

type TInbox = { waitForEmailTo: (address: string, options?: { subject?: string }) => Promise<{ text: string; html: string }> };

const STATUS_LINK = /https?:\/\/[^/\s]+(\/s\/[A-Za-z0-9_-]{72})/;

const trainingDay = (locale: string) => formatDay({ locale, day: E2E_TRAINING_STARTS_AT });

/** Objects through the personal link; answers the objection's id and the status path from the receipt. */
const object = async ({ page, member, inbox, messages = en }: { page: Page; member: TTestMember; inbox: TInbox; messages?: typeof en }) => {
  await page.goto(member.path);
  await page.getByRole("button", { name: messages.form.submit }).click();
  await expect(page.getByRole("heading", { level: 1, name: messages.confirmation.title })).toBeVisible();
  const receipt = await inbox.waitForEmailTo(member.email, { subject: messages.emails.receipt.subject });
  const statusPath = receipt.text.match(STATUS_LINK)?.[1] ?? "";
  expect(statusPath).not.toBe("");
  return { receipt, statusPath };
};

const objectionOf = async (db: pg.Pool, memberId: string) =>
  (await db.query<{ id: string }>(`SELECT id FROM "Objection" WHERE "memberId" = $1 AND status = 'effective'`, [memberId])).rows[0]!.id;

/** The receipt job records its event just after maildev has the email: wait for the stored fact. */
const receiptRecorded = (db: pg.Pool, objectionId: string) =>
  expect.poll(async () => (await db.query(`SELECT 1 FROM "ObjectionEvent" WHERE "objectionId" = $1 AND type = 'receipt_sent'`, [objectionId])).rowCount).toBe(1);

test.describe("one time zone per person", () => {
  // The browser's clock says UTC; the member lives in Germany.
  test.use({ timezoneId: "UTC" });

  test("the receipt, the confirmation and the status page say the same time on the member's country's clock, its zone named briefly", async ({ page, createMember, inbox }) => {
    const member = await createMember({ country: "DE" });
    const { receipt, statusPath } = await object({ page, member, inbox });
    const shown = (await page.locator(".lead time").textContent()) ?? "";
    expect(shown).toMatch(/ CES?T$/);
    expect(receipt.html).toContain(shown);

    await page.goto(statusPath);
    await expect(page.locator(".lead time")).toHaveText(shown);
  });
});

test.describe("the status page says what fits the status", () => {
  test("a withdrawn objection's page does not say 'Effective since'", async ({ page, createMember, inbox, db }) => {
    const member = await createMember();
    const { statusPath } = await object({ page, member, inbox });
    await db.query(`UPDATE "Objection" SET status = 'withdrawn', "withdrawnAt" = now() WHERE "memberId" = $1`, [member.id]);
    await page.goto(statusPath);
    await expect(page.getByRole("heading", { level: 1, name: en.statusPage.titleWithdrawn })).toBeVisible();
    await expect(page.getByText(en.statusPage.objectedOn, { exact: true })).toBeVisible();
    await expect(page.getByText(en.statusPage.effectiveAt)).toHaveCount(0);
    await expectNoViolations(page);
  });

  test("a rejected objection's page does not say 'Effective since', nor that it took effect the moment it was stored", async ({ page, createMember, inbox, db }) => {
    const member = await createMember();
    const { statusPath } = await object({ page, member, inbox });
    await db.query(`UPDATE "Objection" SET status = 'rejected', "rejectedAt" = now() WHERE "memberId" = $1`, [member.id]);
    await page.goto(statusPath);
    await expect(page.getByRole("heading", { level: 1, name: en.statusPage.titleRejected })).toBeVisible();
    await expect(page.getByText(en.statusPage.objectedOn, { exact: true })).toBeVisible();
    await expect(page.getByText(en.statusPage.effectiveAt)).toHaveCount(0);
    await expect(page.locator("footer")).toContainText(en.common.footerNeverUsed);
    await expect(page.locator("footer")).not.toContainText("takes effect");
    await expectNoViolations(page);
  });

  test("the personal link opened after the receipt went out says it was sent, not that it is on its way", async ({ page, createMember, inbox, db }) => {
    const member = await createMember();
    await object({ page, member, inbox });
    await receiptRecorded(db, await objectionOf(db, member.id));
    await page.goto(member.path);
    await expect(page.getByRole("heading", { level: 1, name: en.confirmation.title })).toBeVisible();
    await expect(page.getByTestId("receipt-note")).toHaveText(en.confirmation.receiptSent);
    await expect(page.getByText(en.confirmation.receipt)).toHaveCount(0);
  });
});

test.describe("the start of AI training (TRAINING_STARTS_AT)", () => {
  test("the form names the day, and the confirmation says which case applies by the objection's stored time", async ({ page, createMember, inbox, db }) => {
    const member = await createMember();
    await page.goto(member.path);
    await expect(page.getByTestId("training-start")).toHaveText(en.form.trainingStarts.replace("{date}", trainingDay("en")));

    await object({ page, member, inbox });
    await expect(page.getByTestId("training-case")).toHaveText(en.confirmation.trainingAfter.replace("{date}", trainingDay("en")));

    // Stored before the start (as an earlier objection imported with its date): the first run too.
    await db.query(`UPDATE "Objection" SET "effectiveAt" = $2 WHERE "memberId" = $1`, [member.id, "2025-12-31T22:30:00Z"]);
    await page.goto(member.path);
    await expect(page.getByTestId("training-case")).toHaveText(en.confirmation.trainingBefore.replace("{date}", trainingDay("en")));
    await expectNoViolations(page);
  });

  test("in German too", async ({ page, createMember, inbox }) => {
    const member = await createMember({ country: "DE", locale: "de" });
    await page.goto(member.path);
    await expect(page.getByTestId("training-start")).toHaveText(de.form.trainingStarts.replace("{date}", trainingDay("de")));
    await object({ page, member, inbox, messages: de });
    await expect(page.getByTestId("training-case")).toHaveText(de.confirmation.trainingAfter.replace("{date}", trainingDay("de")));
  });
});

test.describe("on a 390 × 844 phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  for (const { locale, messages } of [
    { locale: "en", messages: en },
    { locale: "de", messages: de },
  ]) {
    test(`the form's button is above the fold (${locale})`, async ({ page, createMember }) => {
      const member = await createMember({ country: "DE", locale });
      await page.goto(member.path);
      const button = page.getByRole("button", { name: messages.form.submit });
      await expect(button).toBeVisible();
      const box = await button.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.y + box!.height).toBeLessThanOrEqual(844);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    });
  }
});
