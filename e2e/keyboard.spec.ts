import { randomUUID } from "node:crypto";

import type { Locator, Page } from "@playwright/test";

import de from "../messages/de.json";
import en from "../messages/en.json";
import { expect, objectionCount, test } from "./fixtures";

/** The most Tab presses from one stop to the next we expect on these short pages; more means a trap or a lost element. */
const MAX_TABS = 30;

/** What the focused element looks like: enough to say it has a ring a sighted keyboard user can see. */
const focusedElement = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return {
      description: `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""} "${(element.textContent ?? "").trim().slice(0, 40)}"`,
      outlineStyle: style.outlineStyle,
      outlineWidth: Number.parseFloat(style.outlineWidth),
      // WCAG 2.4.11: the focused element is not hidden off screen (or under something fixed).
      onScreen: box.bottom > 0 && box.top < window.innerHeight && box.right > 0 && box.left < window.innerWidth,
    };
  });

/** Focus is somewhere, with a ring of at least 2 px, on screen. */
const expectVisibleFocus = async (page: Page) => {
  const focused = await focusedElement(page);
  expect(focused, "something has focus").not.toBeNull();
  expect(focused!.outlineStyle, `the focus ring of ${focused!.description}`).not.toBe("none");
  expect(focused!.outlineWidth, `the focus ring of ${focused!.description}`).toBeGreaterThanOrEqual(2);
  expect(focused!.onScreen, `${focused!.description} is on screen`).toBe(true);
};

const isFocused = (locator: Locator) => locator.evaluate((element) => element === document.activeElement).catch(() => false);

/** Presses `key` (Tab or Shift+Tab) until `target` has focus, checking the ring at every stop on the way. */
const tabTo = async (page: Page, target: Locator, key: "Tab" | "Shift+Tab" = "Tab") => {
  for (let presses = 0; presses < MAX_TABS; presses += 1) {
    await page.keyboard.press(key);
    await expectVisibleFocus(page);
    if (await isFocused(target)) return;
  }
  throw new Error(`${target} took more than ${MAX_TABS} presses of ${key} to reach`);
};

/** With JavaScript, the page's handlers are attached only once React has hydrated: a keypress before that is a plain form post. */
const waitForHydration = async (page: Page, selector: string, javaScriptEnabled: boolean) => {
  if (!javaScriptEnabled) return;
  await page.waitForFunction((css) => {
    const element = document.querySelector(css);
    return !!element && Object.keys(element).some((key) => key.startsWith("__reactProps"));
  }, selector);
};

/** A visitor of its own: the per-IP budget for link requests never spills into another test's. */
const visitorIp = () => `10.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`;

// In English, and in German, whose long words are the likeliest to push a control or its focus ring off screen.
for (const { locale, messages } of [
  { locale: "en", messages: en },
  { locale: "de", messages: de },
]) {
  for (const javaScriptEnabled of [true, false]) {
    test.describe(`keyboard only, in ${locale}, JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
      test.use({ javaScriptEnabled });

      test("skip link, /object with an error and its fix, then the personal link's form, all without a mouse", async ({ page, createMember, db, baseURL }) => {
        await page.setExtraHTTPHeaders({ "x-forwarded-for": visitorIp() });
        await page.context().addCookies([{ name: "locale", value: locale, url: baseURL! }]);

        // The start page: the skip link is the first stop, shows when focused, and lands in <main>.
        await page.goto("/");
        await page.keyboard.press("Tab");
        const skipLink = page.getByRole("link", { name: messages.common.skipToContent });
        await expect(skipLink).toBeFocused();
        await expect(skipLink).toBeInViewport();
        await expectVisibleFocus(page);
        await page.keyboard.press("Enter");
        await expect(page.locator("main#main")).toBeFocused();
        // The next stop is the first control inside <main>, past the header and the language switcher.
        await page.keyboard.press("Tab");
        const noLink = page.getByRole("link", { name: messages.home.noLink });
        await expect(noLink).toBeFocused();
        await expectVisibleFocus(page);
        await page.keyboard.press("Enter");

        // /object, submitted empty (Space on the button): the summary takes focus and links to the field.
        await expect(page.getByRole("heading", { level: 1, name: messages.requestLink.title })).toBeVisible();
        await waitForHydration(page, "form", javaScriptEnabled);
        const email = page.getByLabel(messages.requestLink.email);
        const send = page.getByRole("button", { name: messages.requestLink.submit });
        await tabTo(page, send);
        await page.keyboard.press("Space");

        const summary = page.locator(".error-summary");
        await expect(summary).toBeFocused();
        await expect(summary).toContainText(messages.requestLink.errorSummaryTitle);
        await expectVisibleFocus(page);
        await expect(email).toHaveAttribute("aria-invalid", "true");
        await expect(email).toHaveAttribute("aria-describedby", "request-email-error");
        await expect(page.locator("#request-email-error")).toHaveText(messages.errors.email_invalid);

        await page.keyboard.press("Tab");
        const errorLink = summary.getByRole("link", { name: messages.errors.email_invalid });
        await expect(errorLink).toBeFocused();
        await expect(errorLink).toHaveAttribute("href", "#request-email");
        await expectVisibleFocus(page);
        await page.keyboard.press("Enter");
        await expect(email).toBeFocused();
        await expectVisibleFocus(page);

        // Fixed, and sent with Enter in the field.
        await page.keyboard.type(`keyboard-${randomUUID()}@example.eu`);
        await page.keyboard.press("Enter");
        const sentTitle = page.getByRole("heading", { level: 1, name: messages.requestLink.sentTitle });
        await expect(sentTitle).toBeVisible();
        await expect(page).toHaveURL(/\/object\/sent$/);
        // With JavaScript the page changed under the button: focus follows to the answer.
        if (javaScriptEnabled) await expect(sentTitle).toBeFocused();

        // The personal link: Tab to the country, change it with an arrow key, Enter on the button.
        const member = await createMember({ country: "IE", locale });
        await page.goto(member.path);
        await expect(page.getByRole("heading", { level: 1, name: messages.form.title })).toBeVisible();
        // Served without React, JavaScript or not (lib/links/light-form-page.ts): the browser keeps the reason's length.
        await expect(page.locator("#reason")).toHaveAttribute("maxlength", "2000");
        const country = page.getByLabel(messages.form.country);
        await tabTo(page, country);
        const codes = await country.locator("option").evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
        const next = codes[codes.indexOf("IE") + 1]!;
        await page.keyboard.press("ArrowDown");
        await expect(country).toHaveValue(next);
        await expect(country).toBeFocused();

        const submit = page.getByRole("button", { name: messages.form.submit });
        await tabTo(page, submit);
        // Back one stop and forward again: Shift+Tab walks the same order backwards.
        await page.keyboard.press("Shift+Tab");
        await expect(page.getByLabel(messages.form.reason)).toBeFocused();
        await expectVisibleFocus(page);
        await page.keyboard.press("Tab");
        await expect(submit).toBeFocused();
        await page.keyboard.press("Enter");

        const confirmation = page.getByRole("heading", { level: 1, name: messages.confirmation.title });
        await expect(confirmation).toBeVisible();
        // The post's redirect marks the arrival (?stored=1): the heading takes focus as the page loads, JavaScript or not.
        await expect(confirmation).toBeFocused();
        await expectVisibleFocus(page);
        expect(await objectionCount(db, member.id)).toBe(1);
        const stored = await db.query<{ country: string }>(`SELECT country FROM "Objection" WHERE "memberId" = $1`, [member.id]);
        expect(stored.rows[0]?.country).toBe(next);
      });
    });
  }
}
