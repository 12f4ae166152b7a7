import en from "../messages/en.json";
import { tamperedToken } from "../test/tampered-token";
import { expect, test } from "./fixtures";

// Personal links that cannot be used, and the friendly page they end on (moved from objection.spec.ts).

test.describe("links that cannot be used", () => {
  const expectFriendlyPage = async (page: import("@playwright/test").Page, path: string) => {
    const response = await page.goto(path);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: en.invalidLink.title })).toBeVisible();
    await expect(page.getByRole("button", { name: en.requestLink.submit })).toBeVisible();
    await expect(page.locator("body")).not.toContainText("Error:");
  };

  test("the placeholder page behind every member's page answers no one outside, with or without a forged header", async ({ page, request }) => {
    const templatePath = `/o/${"TEMPLATE".repeat(9)}`;
    await expectFriendlyPage(page, templatePath);
    const forged = await request.get(templatePath, { headers: { "x-objection-template": `DE.${"A".repeat(43)}` } });
    expect(forged.status()).toBe(404);
    expect(await forged.text()).not.toContain("⟦masked-email⟧");
  });

  test("each member's page carries their own token, masked address and country, and no placeholder", async ({ request, createMember }) => {
    const [first, second] = [await createMember({ country: "PT" }), await createMember({ country: "SE" })];
    for (const member of [first, second]) {
      const html = await (await request.get(member.path)).text();
      expect(html).toContain(`value="${member.token}"`);
      expect(html).toContain("e•••@example.eu");
      expect(html).toMatch(new RegExp(`<option value="${member === first ? "PT" : "SE"}" selected=""`));
      expect(html).not.toContain("TEMPLATE".repeat(9));
      expect(html).not.toContain("⟦masked-email⟧");
    }
  });

  test("a tampered token shows the friendly page", async ({ page, createMember }) => {
    const member = await createMember();
    await expectFriendlyPage(page, `/o/${tamperedToken(member.token)}`);
  });

  test("a truncated token shows the friendly page", async ({ page, createMember }) => {
    const member = await createMember();
    await expectFriendlyPage(page, `/o/${member.token.slice(0, 40)}`);
  });

  test("an expired token shows the friendly page", async ({ page, createMember, linkFor }) => {
    const member = await createMember();
    await expectFriendlyPage(page, `/o/${linkFor({ notificationId: member.notificationId, expiresAt: new Date(Date.now() - 1000) })}`);
  });

  test("a well-signed token for an unknown notification shows the friendly page", async ({ page, linkFor }) => {
    await expectFriendlyPage(page, `/o/${linkFor({ notificationId: "00000000-0000-4000-8000-000000000000" })}`);
  });

  test("a link with broken percent-encoding ends on the friendly page, not an error", async ({ page }) => {
    const response = await page.goto("/o/%ZZ");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: en.invalidLink.title })).toBeVisible();
  });

  test("the friendly page emails a fresh personal link that opens the form", async ({ page, createMember, inbox }) => {
    const member = await createMember();
    await page.setExtraHTTPHeaders({ "x-forwarded-for": `10.9.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}` });
    await page.goto(`/o/${member.token.slice(0, 30)}`);
    await page.getByLabel(en.requestLink.email).fill(member.email);
    await page.getByRole("button", { name: en.requestLink.submit }).click();
    await expect(page.getByRole("heading", { level: 1, name: en.requestLink.sentTitle })).toBeVisible();

    const email = await inbox.waitForEmailTo(member.email, { subject: en.emails.personalLink.subject });
    const link = email.text.match(/http:\/\/127\.0\.0\.1:\d+\/o\/[A-Za-z0-9_-]{60,90}/)?.[0];
    expect(link).toBeDefined();
    await page.goto(link!);
    await expect(page.getByRole("heading", { level: 1, name: en.form.title })).toBeVisible();
  });
});
