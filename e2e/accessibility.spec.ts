import en from "../messages/en.json";
import { expectNoViolations } from "./axe";
import { expect, test } from "./fixtures";

test.describe("WCAG 2.2 AA (axe)", () => {
  test("the form, its error state and the confirmation have no violations", async ({ page, createMember }) => {
    const member = await createMember();
    await page.goto(member.path);
    await expectNoViolations(page);

    await page.getByLabel(en.form.reason).fill("z".repeat(2001));
    await page.getByRole("button", { name: en.form.submit }).click();
    await expect(page.locator("#reason-error")).toBeVisible();
    await expectNoViolations(page);

    await page.getByLabel(en.form.reason).fill("Fine.");
    await page.getByRole("button", { name: en.form.submit }).click();
    await expect(page.getByRole("heading", { name: en.confirmation.title })).toBeVisible();
    await expectNoViolations(page);
  });

  test("the invalid-link page has no violations", async ({ page }) => {
    await page.goto("/o/not-a-token");
    await expect(page.getByRole("heading", { name: en.invalidLink.title })).toBeVisible();
    await expectNoViolations(page);
  });

  test("the start page and the request-link page have no violations", async ({ page }) => {
    await page.goto("/");
    await expectNoViolations(page);
    await page.goto("/object");
    await expectNoViolations(page);
  });
});

test.describe("on a phone (375 px wide)", () => {
  test.use({ viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true });

  test("the form fits the screen and can be submitted", async ({ page, createMember }) => {
    const member = await createMember();
    await page.goto(member.path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    const button = page.getByRole("button", { name: en.form.submit });
    const box = await button.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(300);
    expect(box?.height).toBeGreaterThanOrEqual(44);

    await button.tap();
    await expect(page.getByRole("heading", { name: en.confirmation.title })).toBeVisible();
    const after = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(after).toBeLessThanOrEqual(0);
  });
});
