import { readFile } from "node:fs/promises";

import type { Page } from "@playwright/test";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import type pg from "pg";

import de from "../messages/de.json";
import en from "../messages/en.json";
import { tamperedToken } from "../test/tampered-token";
import { expectNoViolations } from "./axe";
import { expect, test, type TTestMember } from "./fixtures";

type TInbox = { waitForEmailTo: (address: string, options?: { subject?: string }) => Promise<{ text: string; html: string }> };

const STATUS_LINK = /https?:\/\/[^/\s]+(\/s\/[A-Za-z0-9_-]{72})/;

/** Objects through the member's personal link, then takes the status link from the receipt maildev received. */
const objectAndOpenReceipt = async ({ page, member, inbox, reason, messages = en }: { page: Page; member: TTestMember; inbox: TInbox; reason: string; messages?: typeof en }) => {
  await page.goto(member.path);
  await page.getByLabel(messages.form.reason).fill(reason);
  await page.getByRole("button", { name: messages.form.submit }).click();
  await expect(page.getByRole("heading", { level: 1, name: messages.confirmation.title })).toBeVisible();
  const receipt = await inbox.waitForEmailTo(member.email, { subject: messages.emails.receipt.subject });
  const statusPath = receipt.text.match(STATUS_LINK)?.[1];
  expect(statusPath, "the receipt links the status page").toBeTruthy();
  expect(receipt.html).toContain(statusPath!);
  return statusPath!;
};

const pipelinePending = en.statusPage.pipelinePending;

/** The status page's "Download the signed receipt": the browser saves objection-receipt.jwt, which verifies against the app's JWKS. */
const downloadAndVerifyReceipt = async ({ page, member }: { page: Page; member: TTestMember }) => {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: en.statusPage.receiptDownload }).click()]);
  expect(download.suggestedFilename()).toBe("objection-receipt.jwt");
  const jws = (await readFile(await download.path(), "utf8")).trim();
  const jwksResponse = await page.request.get("/.well-known/jwks.json");
  expect(jwksResponse.status()).toBe(200);
  const jwks = (await jwksResponse.json()) as JSONWebKeySet;
  expect(decodeProtectedHeader(jws)).toMatchObject({ alg: "EdDSA", kid: expect.any(String) });
  const { payload } = await jwtVerify(jws, createLocalJWKSet(jwks), { algorithms: ["EdDSA"] });
  const reference = await page.getByText(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/).textContent();
  expect(payload).toMatchObject({ sub: reference, status: "effective", email: member.email.toLowerCase(), scope: expect.arrayContaining(["public_posts"]) });
};

/** The withdrawal, from the status page through its confirmation step, and what follows. axe runs inside the page: only with JavaScript. */
const withdrawAndObjectAgain = async ({ page, member, inbox, db, statusPath, reason, axe = true }: { page: Page; member: TTestMember; inbox: TInbox; db: pg.Pool; statusPath: string; reason: string; axe?: boolean }) => {
  const expectAccessible = async () => {
    if (axe) await expectNoViolations(page);
  };
  const response = await page.goto(statusPath);
  expect(response?.status()).toBe(200);
  const headers = response?.headers() ?? {};
  expect(headers["referrer-policy"]).toBe("no-referrer");
  expect(headers["cache-control"]).toContain("no-store");
  expect(headers["x-robots-tag"]).toBe("noindex");

  await expect(page.getByRole("heading", { level: 1, name: en.statusPage.titleEffective })).toBeVisible();
  await expect(page.getByTestId("objection-status")).toHaveText(en.statusPage.statusEffective);
  await expect(page.getByTestId("export-progress")).toHaveText(pipelinePending);
  await expect(page.getByText("e•••@example.eu")).toBeVisible();
  // A forwarded status link must not leak what the person wrote, nor their address.
  const html = await page.content();
  expect(html).not.toContain(reason);
  expect(html).not.toContain(member.email);
  await expectAccessible();
  if (axe) await test.step("download the signed receipt and verify it", () => downloadAndVerifyReceipt({ page, member }));

  await page.getByRole("link", { name: en.statusPage.withdrawButton }).click();
  await expect(page.getByRole("heading", { level: 1, name: en.statusPage.confirmTitle })).toBeVisible();
  await expect(page.getByText(en.statusPage.confirmWhat)).toBeVisible();
  await expect(page.getByText(en.statusPage.confirmAgain)).toBeVisible();
  await expectAccessible();
  // Nothing is withdrawn before the confirmation.
  expect((await db.query(`SELECT status FROM "Objection" WHERE "memberId" = $1`, [member.id])).rows).toEqual([{ status: "effective" }]);

  await page.getByRole("button", { name: en.statusPage.confirmButton }).click();
  await expect(page.getByRole("heading", { level: 1, name: en.statusPage.titleWithdrawn })).toBeVisible();
  // The withdrawal step posts the language it was shown in, so the page after it speaks the same.
  await expect(page).toHaveURL(new RegExp(`${statusPath}\\?lang=en$`));
  await expect(page.getByRole("link", { name: en.statusPage.withdrawButton })).toHaveCount(0);
  await expectAccessible();

  const stored = await db.query(`SELECT id, status, reason, "withdrawnAt" IS NOT NULL AS "hasWithdrawnAt" FROM "Objection" WHERE "memberId" = $1`, [member.id]);
  expect(stored.rows).toEqual([{ id: expect.any(String), status: "withdrawn", reason: null, hasWithdrawnAt: true }]);
  const events = await db.query(`SELECT "actorType", "actorId" FROM "ObjectionEvent" WHERE "objectionId" = $1 AND type = 'withdrawn'`, [stored.rows[0].id]);
  expect(events.rows).toEqual([{ actorType: "member", actorId: member.id }]);

  const confirmation = await inbox.waitForEmailTo(member.email, { subject: en.emails.withdrawal.subject });
  expect(confirmation.text).toContain(en.emails.withdrawal.button);
  // Its "Object again" is the member's own link, as on the page: it opens the filled-in form, no email asked for.
  expect(confirmation.html).not.toMatch(/href="[^"]*\/object"/);
  const objectAgainUrl = /href="(https?:\/\/[^"]+\/o\/[A-Za-z0-9_-]{72})"/.exec(confirmation.html)?.[1] ?? "";
  expect(objectAgainUrl).not.toBe("");
  const fromEmail = await page.context().newPage();
  await fromEmail.goto(objectAgainUrl);
  await expect(fromEmail.getByRole("heading", { level: 1, name: en.form.title })).toBeVisible();
  await expect(fromEmail.getByRole("button", { name: en.form.submit })).toBeVisible();
  await fromEmail.close();

  // Opened again once the confirmation is recorded as sent, the page no longer says it is on its way.
  await expect.poll(async () => (await db.query(`SELECT 1 FROM "ObjectionEvent" WHERE "objectionId" = $1 AND type = 'withdrawal_email_sent'`, [stored.rows[0].id])).rowCount).toBe(1);
  await page.goto(statusPath);
  await expect(page.getByTestId("withdrawal-email-note")).toHaveText(en.statusPage.withdrawnEmailSent);
  await expect(page.getByText(en.statusPage.effectiveAt)).toHaveCount(0);

  // Object again: the member's own personal link, the form, one click.
  await page.getByRole("link", { name: en.statusPage.objectAgainButton }).click();
  await expect(page).toHaveURL(/\/o\/[A-Za-z0-9_-]{72}$/);
  await page.getByRole("button", { name: en.form.submit }).click();
  await expect(page.getByRole("heading", { level: 1, name: en.confirmation.title })).toBeVisible();
  const after = await db.query(`SELECT status FROM "Objection" WHERE "memberId" = $1 ORDER BY "createdAt"`, [member.id]);
  expect(after.rows).toEqual([{ status: "withdrawn" }, { status: "effective" }]);

  // The old status link still shows the withdrawn objection it names, and cannot withdraw the new one.
  await page.goto(statusPath);
  await expect(page.getByRole("heading", { level: 1, name: en.statusPage.titleWithdrawn })).toBeVisible();
};

test.describe("the status page", () => {
  test("from the receipt: the status, then withdrawal through the confirmation step, its email, and objecting again", async ({ page, createMember, inbox, db }) => {
    const member = await createMember();
    const reason = `Mine, not the model's ${Date.now()}`;
    const statusPath = await objectAndOpenReceipt({ page, member, inbox, reason });
    await withdrawAndObjectAgain({ page, member, inbox, db, statusPath, reason });
  });

  test.describe("without JavaScript", () => {
    test.use({ javaScriptEnabled: false });

    test("the same flow works with plain links and form posts", async ({ page, createMember, inbox, db }) => {
      const member = await createMember();
      const reason = `No JS, still mine ${Date.now()}`;
      const statusPath = await objectAndOpenReceipt({ page, member, inbox, reason });
      await withdrawAndObjectAgain({ page, member, inbox, db, statusPath, reason, axe: false });
    });
  });

  test("a token used for the wrong purpose, tampered or malformed gets the friendly 404", async ({ page, createMember, inbox }) => {
    const member = await createMember();
    const statusPath = await objectAndOpenReceipt({ page, member, inbox, reason: "" });
    const statusToken = statusPath.slice("/s/".length);

    // A notice link on the status page.
    const notice = await page.goto(`/s/${member.token}`);
    expect(notice?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: en.invalidLink.title })).toBeVisible();

    // A status token on the personal link page.
    const status = await page.goto(`/o/${statusToken}`);
    expect(status?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: en.invalidLink.title })).toBeVisible();

    const tampered = tamperedToken(statusToken);
    for (const path of [`/s/${tampered}`, "/s/not-a-token", `/s/${statusToken.slice(0, 40)}`, `/s/${tampered}/receipt`]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { level: 1, name: en.invalidLink.title })).toBeVisible();
    }

    // The server verifies the token again: a confirmation form whose hidden token was swapped for a notice token withdraws nothing.
    await page.goto(`${statusPath}?step=withdraw`);
    await page.locator('input[name="token"]').evaluate((input, token) => ((input as HTMLInputElement).value = token), member.token);
    await page.getByRole("button", { name: en.statusPage.confirmButton }).click();
    await expect(page.getByRole("heading", { level: 1, name: en.invalidLink.title })).toBeVisible();
    await page.goto(statusPath);
    await expect(page.getByRole("heading", { level: 1, name: en.statusPage.titleEffective })).toBeVisible();
  });
});

test.describe("for a German-speaking visitor", () => {
  test.use({ locale: "de-DE" });

  test("the status page and its confirmation step are in German", async ({ page, createMember, inbox }) => {
    const member = await createMember({ locale: "de" });
    const statusPath = await objectAndOpenReceipt({ page, member, inbox, reason: "", messages: de });
    await page.goto(statusPath);
    await expect(page.getByRole("heading", { level: 1, name: de.statusPage.titleEffective })).toBeVisible();
    await expect(page.getByTestId("export-progress")).toHaveText(de.statusPage.pipelinePending);
    await page.getByRole("link", { name: de.statusPage.withdrawButton }).click();
    await expect(page.getByRole("heading", { level: 1, name: de.statusPage.confirmTitle })).toBeVisible();
    await expect(page.getByText(de.statusPage.confirmWhat)).toBeVisible();
  });

  // The page is sent with no-referrer, so the browser posts with `Origin: null`: the switch must still work, with or without JavaScript.
  for (const javaScriptEnabled of [true, false]) {
    test.describe(`JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
      test.use({ javaScriptEnabled });

      test("the language switcher on the status page switches to English", async ({ page, createMember, inbox }) => {
        const member = await createMember({ locale: "de" });
        const statusPath = await objectAndOpenReceipt({ page, member, inbox, reason: "", messages: de });
        await page.goto(statusPath);
        await page.getByLabel(de.common.language).selectOption("en");
        await page.getByRole("button", { name: de.common.changeLanguage }).click();
        await expect(page.getByRole("heading", { level: 1, name: en.statusPage.titleEffective })).toBeVisible();
        // The member's locale outranks the remembered choice: on a link's page, the choice is in the address.
        await expect(page).toHaveURL(new RegExp(`${statusPath}\\?lang=en$`));
        await expect(page.locator("html")).toHaveAttribute("lang", "en");
      });
    });
  }
});

test.describe("the status page on a phone (375 px wide)", () => {
  test.use({ viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true });

  test("the status and its confirmation step fit the screen", async ({ page, createMember, inbox }) => {
    const member = await createMember();
    const statusPath = await objectAndOpenReceipt({ page, member, inbox, reason: "" });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.goto(statusPath);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.goto(`${statusPath}?step=withdraw`);
    await expect(page.getByRole("heading", { level: 1, name: en.statusPage.confirmTitle })).toBeVisible();
    expect(await overflow()).toBeLessThanOrEqual(0);
  });
});
