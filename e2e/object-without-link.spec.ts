import { randomUUID } from "node:crypto";

import type { APIRequestContext, Page } from "@playwright/test";

import de from "../messages/de.json";
import en from "../messages/en.json";
import { emailsTo as emailsToAddress } from "../test/inbox";
import { expectNoViolations } from "./axe";
import { countRows, expect, test } from "./fixtures";

const LINK = /https?:\/\/[^/\s]+(\/o\/[A-Za-z0-9_-]{60,90})/g;
const EMAILS_PER_ADDRESS_PER_DAY = 3;

/** A visitor of its own: the per-IP budget of one test never spills into another's. */
const visitorIp = () => `10.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`;

const asVisitor = async (page: Page) => page.setExtraHTTPHeaders({ "x-forwarded-for": visitorIp() });

const requestLink = async (page: Page, email: string) => {
  await page.goto("/object");
  await page.getByLabel(en.requestLink.email).fill(email);
  await page.getByRole("button", { name: en.requestLink.submit }).click();
};

const emailsTo = (address: string) => emailsToAddress({ inboxUrl: process.env.E2E_INBOX_URL ?? "", address });

const linksIn = (text: string) => [...text.matchAll(LINK)].map((match) => match[1] ?? "");

/** The post the form makes, without the browser: for counting, timing and limits. */
const postRequest = (request: APIRequestContext, email: string, { ip = visitorIp(), json = false }: { ip?: string; json?: boolean } = {}) =>
  request.post("/object/request", { form: { email }, headers: { "x-forwarded-for": ip, ...(json ? { accept: "application/json" } : {}) }, maxRedirects: 0 });

for (const javaScriptEnabled of [true, false]) {
  test.describe(`objecting without a link, JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled });
    test.beforeEach(async ({ page }) => asVisitor(page));

    test("a member, typing the address in other letter case, gets their personal link: one click in the email, one on the form", async ({ page, createMember, inbox, db }) => {
      const member = await createMember({ country: "AT" });
      await requestLink(page, `  ${member.email.toUpperCase()} `);
      await expect(page.getByRole("heading", { level: 1, name: en.requestLink.sentTitle })).toBeVisible();
      await expect(page).toHaveURL(/\/object\/sent$/);

      const email = await inbox.waitForEmailTo(member.email, { subject: en.emails.personalLink.subject });
      const [link] = linksIn(email.text);
      await page.goto(link!);
      await expect(page.getByLabel(en.form.country)).toHaveValue("AT");
      await page.getByRole("button", { name: en.form.submit }).click();
      await expect(page.getByRole("heading", { level: 1, name: en.confirmation.title })).toBeVisible();
      expect((await db.query(`SELECT source, status FROM "Objection" WHERE "memberId" = $1`, [member.id])).rows).toEqual([{ source: "direct", status: "effective" }]);
    });

    test("a member with an internationalised address, typing it key by key, gets their personal link at that address", async ({ page, createMember, inbox, db }) => {
      const member = await createMember();
      const email = `jürgen-${randomUUID()}@müller.example`;
      await db.query(`UPDATE "Member" SET email = $1 WHERE id = $2`, [email, member.id]);
      await page.goto("/object");
      // Typed, not filled: a browser turns a typed müller.de into punycode in an input of type email.
      await page.getByLabel(en.requestLink.email).pressSequentially(email.toUpperCase());
      await page.getByRole("button", { name: en.requestLink.submit }).click();
      await expect(page.getByRole("heading", { level: 1, name: en.requestLink.sentTitle })).toBeVisible();
      await inbox.waitForEmailTo(email, { subject: en.emails.personalLink.subject });
    });

    test("two accounts on one address get one email with a link for each", async ({ page, createMember, inbox, db }) => {
      const first = await createMember();
      const second = await createMember();
      // The second account moves to the first one's address.
      await db.query(`UPDATE "Member" SET email = $1 WHERE id = $2`, [first.email, second.id]);

      await requestLink(page, first.email);
      await expect(page.getByRole("heading", { level: 1, name: en.requestLink.sentTitle })).toBeVisible();

      const email = await inbox.waitForEmailTo(first.email, { subject: en.emails.personalLink.subject });
      const links = [...new Set(linksIn(email.text))];
      expect(links).toHaveLength(2);
      for (const link of links) {
        await page.goto(link);
        await page.getByRole("button", { name: en.form.submit }).click();
        await expect(page.getByRole("heading", { level: 1, name: en.confirmation.title })).toBeVisible();
      }
      const objected = await db.query(`SELECT "memberId" FROM "Objection" WHERE "memberId" = ANY($1::uuid[]) AND status = 'effective'`, [[first.id, second.id]]);
      expect(objected.rows.map((row) => row.memberId).sort()).toEqual([first.id, second.id].sort());
    });

    test("an address without an account gets the same page, then a link that records an unmatched objection for that address", async ({ page, inbox, db }) => {
      const address = `nobody-${randomUUID()}@example.eu`;
      await requestLink(page, address);
      await expect(page.getByRole("heading", { level: 1, name: en.requestLink.sentTitle })).toBeVisible();
      await expect(page).toHaveURL(/\/object\/sent$/);

      const email = await inbox.waitForEmailTo(address, { subject: en.emails.addressLink.subject });
      expect(email.text).toContain(en.emails.addressLink.scope);
      const [link] = linksIn(email.text);
      await page.goto(link!);
      await page.getByLabel(en.form.country).selectOption("PT");
      await page.getByRole("button", { name: en.form.submit }).click();
      await expect(page.getByRole("heading", { level: 1, name: en.confirmation.title })).toBeVisible();

      const stored = await db.query(`SELECT "memberId", country, source, status FROM "Objection" WHERE email = $1`, [address]);
      expect(stored.rows).toEqual([{ memberId: null, country: "PT", source: "direct", status: "effective" }]);
      // The receipt goes to the address too, with its status link.
      const receipt = await inbox.waitForEmailTo(address, { subject: en.emails.receipt.subject });
      expect(receipt.text).toMatch(/\/s\/[A-Za-z0-9_-]{60,90}/);
    });
  });
}

/** An address that had its emails for the day, and the /object form filled in with it by a new visitor. */
const fillCappedAddress = async ({ page, request }: { page: Page; request: APIRequestContext }) => {
  const address = `capped-${randomUUID()}@example.eu`;
  for (let sent = 0; sent < EMAILS_PER_ADDRESS_PER_DAY; sent += 1) await postRequest(request, address);
  await page.setExtraHTTPHeaders({ "x-forwarded-for": visitorIp() });
  await page.goto("/object");
  await page.getByLabel(de.requestLink.email).fill(address);
};

test.describe("abuse limits", () => {
  test.use({ locale: "de-DE" });

  test(`one address gets at most ${EMAILS_PER_ADDRESS_PER_DAY} emails a day whoever asks; then a 429 page in the visitor's language says when to try again`, async ({ page, request, db, inbox }) => {
    const address = `capped-${randomUUID()}@example.eu`;
    for (let sent = 0; sent < EMAILS_PER_ADDRESS_PER_DAY; sent += 1) {
      const response = await postRequest(request, address);
      expect(response.status()).toBe(303);
      expect(response.headers().location).toBe("/object/sent");
    }

    const refused = await postRequest(request, address);
    expect(refused.status()).toBe(429);
    expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(23 * 60 * 60);

    // In a browser, in German: the page says so in German, with the time.
    await page.setExtraHTTPHeaders({ "x-forwarded-for": visitorIp() });
    await page.goto("/object");
    await page.getByLabel(de.requestLink.email).fill(address);
    await page.getByRole("button", { name: de.requestLink.submit }).click();
    await expect(page.getByRole("alert").filter({ hasText: de.requestLink.limited.split("{time}")[0]!.trim() })).toBeVisible();

    // The request came with no language of its own (the API client sends none): English.
    await inbox.waitForEmailTo(address, { subject: en.emails.addressLink.subject });
    await expect.poll(async () => (await emailsTo(address)).length, { timeout: 20_000 }).toBe(EMAILS_PER_ADDRESS_PER_DAY);
    expect(await countRows(db, `SELECT count(*) FROM "AddressLink" WHERE email = $1`, [address])).toBe(EMAILS_PER_ADDRESS_PER_DAY);
  });

  test.describe("without JavaScript", () => {
    test.use({ javaScriptEnabled: false });

    test("the 429 is a page of its own, in the visitor's language, with a way back", async ({ page, request }) => {
      await fillCappedAddress({ page, request });
      const [response] = await Promise.all([page.waitForResponse((candidate) => candidate.url().endsWith("/object/request")), page.getByRole("button", { name: de.requestLink.submit }).click()]);
      expect(response.status()).toBe(429);
      await expect(page.getByRole("heading", { level: 1, name: de.requestLink.limitedTitle })).toBeVisible();
      await expect(page.locator("html")).toHaveAttribute("lang", "de");
      await page.getByRole("link", { name: de.requestLink.back }).click();
      await expect(page).toHaveURL(/\/object$/);
    });
  });

  test("the 429 page has no axe violations", async ({ page, request }) => {
    await fillCappedAddress({ page, request });
    // The browser's own post, as without JavaScript, so the page is the one axe reads (axe needs JavaScript).
    await page.locator(`form[action="/object/request"]`).evaluate((form: HTMLFormElement) => form.submit());
    await expect(page.getByRole("heading", { level: 1, name: de.requestLink.limitedTitle })).toBeVisible();
    await expectNoViolations(page);
  });

  test("one visitor is limited whatever the addresses, with JSON for the form", async ({ request, db }) => {
    const ip = visitorIp();
    const addresses = Array.from({ length: 11 }, () => `visitor-${randomUUID()}@example.eu`);
    const statuses = [];
    for (const address of addresses) statuses.push((await postRequest(request, address, { ip, json: true })).status());

    // LINK_REQUESTS_PER_IP_PER_HOUR is 10 (the default) on the e2e server.
    expect(statuses).toEqual([...Array(10).fill(202), 429]);
    const refused = await postRequest(request, `visitor-${randomUUID()}@example.eu`, { ip, json: true });
    expect(await refused.json()).toMatchObject({ status: "limited", retryAt: expect.any(String), message: expect.stringContaining("try again") });
    expect(await countRows(db, `SELECT count(*) FROM "AddressLink" WHERE email = ANY($1::text[])`, [addresses])).toBe(10);
  });
});

test("the answer takes as long for a known address as for an unknown one (50 of each, medians within 20 ms)", async ({ request, createMember }) => {
  const known = await Promise.all(Array.from({ length: 50 }, () => createMember()));
  const unknown = Array.from({ length: 50 }, () => `unknown-${randomUUID()}@example.eu`);
  // Warm the route, its limiters and its statement before measuring.
  for (let warm = 0; warm < 5; warm += 1) await postRequest(request, `warm-${randomUUID()}@example.eu`);

  const timed = async (email: string) => {
    const started = performance.now();
    const response = await postRequest(request, email);
    const elapsed = performance.now() - started;
    expect(response.status()).toBe(303);
    return elapsed;
  };
  const knownTimes: number[] = [];
  const unknownTimes: number[] = [];
  // Interleaved, so a slow moment of the machine falls on both sides alike.
  for (let index = 0; index < 50; index += 1) {
    knownTimes.push(await timed(known[index]!.email));
    unknownTimes.push(await timed(unknown[index]!));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const difference = Math.abs(median(knownTimes) - median(unknownTimes));
  test.info().annotations.push({ type: "medians (ms)", description: `known ${median(knownTimes).toFixed(1)}, unknown ${median(unknownTimes).toFixed(1)}` });
  expect(difference).toBeLessThan(20);
});

test.describe("the /object pages (axe)", () => {
  test.beforeEach(async ({ page }) => asVisitor(page));

  test("the form, its error and the check-your-inbox page have no violations", async ({ page }) => {
    await page.goto("/object");
    await expectNoViolations(page);
    await page.getByLabel(en.requestLink.email).fill("not-an-address");
    await page.getByRole("button", { name: en.requestLink.submit }).click();
    await expect(page.locator("#request-email-error")).toHaveText(en.errors.email_invalid);
    await expectNoViolations(page);
    await page.getByLabel(en.requestLink.email).fill(`axe-${randomUUID()}@example.eu`);
    await page.getByRole("button", { name: en.requestLink.submit }).click();
    await expect(page.getByRole("heading", { level: 1, name: en.requestLink.sentTitle })).toBeVisible();
    await expectNoViolations(page);
  });
});
