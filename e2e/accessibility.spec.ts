import type { Page } from "@playwright/test";

import en from "../messages/en.json";
import { expectNoViolations } from "./axe";
import { expect, test, type TTestMember } from "./fixtures";
import { memberPaths, messagesOf, object, publicPaths, STATIC_PATHS, statusPathOf, useLocale } from "./public-pages";

// In Chromium: the rules that need a laid-out page. Every language's pages as served are in
// accessibility-languages.spec.ts.

/** A visitor of its own: the per-IP budget for link requests never spills into another test's. */
const visitorIp = () => `10.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`;

test.describe("WCAG 2.2 AA (axe)", () => {
  test("the form, its error summary and the confirmation have no violations", async ({ page, createMember }) => {
    const member = await createMember();
    await page.goto(member.path);
    await expectNoViolations(page);

    // The first load is served without React and posts as a plain form; a browser that ignores
    // maxlength posts too long a reason and gets the form back from Next, the summary focused.
    const reason = page.getByLabel(en.form.reason);
    await reason.evaluate((textarea) => textarea.removeAttribute("maxlength"));
    await reason.fill("z".repeat(2001));
    await page.getByRole("button", { name: en.form.submit }).click();
    await expect(page.locator("#reason-error")).toBeVisible();
    const summary = page.locator(".error-summary");
    await expect(summary).toBeFocused();
    await expect(summary.getByRole("heading", { name: en.form.errorSummaryTitle })).toBeVisible();
    await expect(summary.getByRole("link", { name: "Keep your reason to 2,000 characters or fewer." })).toHaveAttribute("href", "#reason");
    // One live region speaks for the failed submit: the summary's alert, nothing else.
    await expect(page.locator("form").locator('[role="alert"], [role="status"], [aria-live]:not([aria-live="off"])')).toHaveCount(1);
    await expectNoViolations(page);

    // That page is hydrated: the form posts with fetch, and focus follows to the confirmation.
    await expect(reason).not.toHaveAttribute("maxlength");
    await reason.fill("Fine.");
    await page.getByRole("button", { name: en.form.submit }).click();
    const confirmation = page.getByRole("heading", { level: 1, name: en.confirmation.title });
    await expect(confirmation).toBeVisible();
    await expect(confirmation).toBeFocused();
    await expectNoViolations(page);
  });

  test("the form as a post without JavaScript returns it, with the summary focused, has no violations", async ({ page, createMember }) => {
    const member = await createMember();
    await page.goto(`${member.path}?error=country:country_required&error=reason:reason_too_long`);
    const summary = page.locator(".error-summary");
    await expect(summary).toBeFocused();
    await expect(summary).toContainText("2 fields need your attention");
    await expect(summary.getByRole("link")).toHaveText([en.errors.country_required, "Keep your reason to 2,000 characters or fewer."]);
    await expectNoViolations(page);

    await page.goto("/object?error=email:email_invalid");
    await expect(page.locator(".error-summary")).toBeFocused();
    await expect(page.getByRole("link", { name: en.errors.email_invalid })).toHaveAttribute("href", "#request-email");
    await expectNoViolations(page);
  });

  test("the personal link once objected and the status page have no violations", async ({ page, createMember, db }) => {
    const member = await createMember();
    await object(page, member);
    await page.goto(member.path);
    await expect(page.locator("h1")).toBeVisible();
    await expectNoViolations(page);
    await page.goto(await statusPathOf(db, member));
    await expect(page.getByRole("heading", { level: 1, name: en.statusPage.titleEffective })).toBeVisible();
    await expectNoViolations(page);
  });

  test("the invalid-link page and a missing page have no violations", async ({ page }) => {
    await page.goto("/o/not-a-token");
    await expect(page.getByRole("heading", { name: en.invalidLink.title })).toBeVisible();
    await expectNoViolations(page);

    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: en.errors.notFoundTitle })).toBeVisible();
    await expectNoViolations(page);
  });

  test("the start page, the request-link page, its answer and the accessibility statement have no violations", async ({ page }) => {
    await page.goto("/");
    await expectNoViolations(page);
    await page.goto("/object");
    await expectNoViolations(page);
    await page.goto("/object/sent");
    await expect(page.getByRole("heading", { level: 1, name: en.requestLink.sentTitle })).toBeVisible();
    await expectNoViolations(page);
    await page.goto("/accessibility");
    await expect(page.getByRole("heading", { level: 1, name: en.accessibilityPage.title })).toBeVisible();
    await expectNoViolations(page);
  });

  test("with JavaScript, /object's answer takes focus on its heading", async ({ page }) => {
    await page.setExtraHTTPHeaders({ "x-forwarded-for": visitorIp() });
    await page.goto("/object");
    await page.getByLabel(en.requestLink.email).fill(`focus-${Date.now()}@example.eu`);
    await page.getByRole("button", { name: en.requestLink.submit }).click();
    await expect(page.getByRole("heading", { level: 1, name: en.requestLink.sentTitle })).toBeFocused();
  });
});

/** Objects through the form in the browser and waits for the confirmation, in the member's language. */
const objectInBrowser = (page: Page, locale: string) => (member: TTestMember) => object(page, member, messagesOf(locale));

// The rules that need a laid-out page (colour contrast, target size, reflow) run in English and
// in German, whose long words are the hardest on a narrow layout.
const BROWSER_LOCALES = ["en", "de"];

// English has these pages in the browser tests above; here they are in German.
test.describe("every public page in a browser (axe, with layout)", () => {
  for (const locale of BROWSER_LOCALES.filter((locale) => locale !== "en")) {
    test(`${locale}: the pages anyone can open have no violations`, async ({ page, baseURL }) => {
      await useLocale(page, { locale, baseURL: baseURL! });
      for (const pagePath of STATIC_PATHS) {
        await page.goto(pagePath);
        await expect(page.locator("h1"), pagePath).toBeVisible();
        await expectNoViolations(page);
      }
    });

    test(`${locale}: a member's pages have no violations`, async ({ page, createMember, db, baseURL }) => {
      await useLocale(page, { locale, baseURL: baseURL! });
      for (const pagePath of await memberPaths({ objectAs: objectInBrowser(page, locale), createMember, db, locale })) {
        await page.goto(pagePath);
        await expect(page.locator("h1"), pagePath).toBeVisible();
        await expectNoViolations(page);
      }
    });
  }
});

/** Wider than the window: what WCAG 1.4.10 (reflow) forbids. */
const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

for (const { name, viewport, deviceScaleFactor } of [
  { name: "320 px wide", viewport: { width: 320, height: 640 }, deviceScaleFactor: 1 },
  // A 1280 px window at 200 % zoom lays out 640 CSS pixels, twice as dense.
  { name: "200 % zoom", viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 },
]) {
  test.describe(`at ${name}`, () => {
    test.use({ viewport, deviceScaleFactor });

    for (const locale of BROWSER_LOCALES) {
      test(`no public page scrolls sideways (${locale})`, async ({ page, createMember, db, baseURL }) => {
        await useLocale(page, { locale, baseURL: baseURL! });
        const paths = await publicPaths({ objectAs: objectInBrowser(page, locale), createMember, db, locale });
        const overflowing: string[] = [];
        for (const pagePath of paths) {
          await page.goto(pagePath);
          await expect(page.locator("h1")).toBeVisible();
          const overflow = await horizontalOverflow(page);
          if (overflow > 0) overflowing.push(`${pagePath.slice(0, 40)}: ${overflow} px`);
        }
        expect(overflowing).toEqual([]);
      });
    }
  });
}

test.describe("on a phone (375 px wide)", () => {
  test.use({ viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true });

  test("the form fits the screen and can be submitted", async ({ page, createMember }) => {
    const member = await createMember();
    await page.goto(member.path);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    const button = page.getByRole("button", { name: en.form.submit });
    const box = await button.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(300);
    expect(box?.height).toBeGreaterThanOrEqual(44);

    await button.tap();
    await expect(page.getByRole("heading", { name: en.confirmation.title })).toBeVisible();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  });
});
