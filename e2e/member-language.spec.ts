import de from "../messages/de.json";
import fr from "../messages/fr.json";
import pt from "../messages/pt.json";
import { TEST_ENV } from "../test/test-env";
import { expect, test } from "./fixtures";

const STATUS_LINK = /https?:\/\/[^\s/]+(\/s\/[A-Za-z0-9_-]{72})/;

// The member's locale outranks the visitor's remembered choice and the browser's: the person
// the platform knows speaks Portuguese, whatever this browser was last set to.
// The zone's short name: Portuguese writes Lisbon's clock as an offset, which becomes WET/WEST;
// German has its own MEZ/MESZ (lib/i18n/time-zone-name.ts).
for (const { locale, country, messages, language, timeZoneName, zoneInFrench } of [
  { locale: "pt-PT", country: "PT", messages: pt, language: "pt", timeZoneName: / WES?T\b/, zoneInFrench: / WES?T\b/ },
  { locale: "de-AT", country: "AT", messages: de, language: "de", timeZoneName: / MES?Z\b/, zoneInFrench: / CES?T\b/ },
]) {
  test.describe(`a member whose locale is ${locale}`, () => {
    test.use({ extraHTTPHeaders: { "accept-language": "en-GB,en;q=0.9" }, timezoneId: "UTC" });

    test(`gets ${language} on the form, the confirmation, the receipt and the status page, with dates on ${country}'s clock`, async ({ page, context, createMember, inbox }) => {
      await context.addCookies([{ name: "locale", value: "fr", url: test.info().project.use.baseURL! }]);
      const member = await createMember({ country, locale });

      await page.goto(member.path);
      await expect(page.locator("html")).toHaveAttribute("lang", language);
      await expect(page.getByRole("heading", { level: 1, name: messages.form.title })).toBeVisible();
      await expect(page).toHaveTitle(`${messages.form.title} · ${TEST_ENV.BRAND_NAME}`);

      await page.getByRole("button", { name: messages.form.submit }).click();
      await expect(page.getByRole("heading", { level: 1, name: messages.confirmation.title })).toBeVisible();
      await expect(page.locator("html")).toHaveAttribute("lang", language);
      // The browser here says UTC, but the member is known: the page is on their country's clock, as the receipt is.
      await expect(page.locator(".lead time")).toContainText(timeZoneName);
      await expect(page.locator(".lead time")).not.toContainText(/UTC|GMT|Coordenado|koordinierte/i);
      const shown = (await page.locator(".lead time").textContent()) ?? "";

      const receipt = await inbox.waitForEmailTo(member.email, { subject: messages.emails.receipt.subject });
      expect(receipt.html).toContain(`lang="${language}"`);
      expect(receipt.text).toMatch(timeZoneName);
      expect(receipt.html).toContain(shown);
      const statusPath = receipt.text.match(STATUS_LINK)?.[1];
      expect(statusPath).toBeTruthy();

      await page.goto(statusPath!);
      await expect(page.locator("html")).toHaveAttribute("lang", language);
      await expect(page.getByRole("heading", { level: 1, name: messages.statusPage.titleEffective })).toBeVisible();
    });

    test("without JavaScript sees its country's clock, and a language switched to on the form holds through the post", async ({ browser, createMember }) => {
      const context = await browser.newContext({ javaScriptEnabled: false, extraHTTPHeaders: { "accept-language": "en" } });
      const page = await context.newPage();
      const member = await createMember({ country, locale });
      await page.goto(member.path);
      await expect(page.getByRole("heading", { level: 1, name: messages.form.title })).toBeVisible();

      await page.getByLabel(messages.common.language).selectOption("fr");
      await page.getByRole("button", { name: messages.common.changeLanguage }).click();
      await expect(page.locator("html")).toHaveAttribute("lang", "fr");
      await expect(page.getByRole("heading", { level: 1, name: fr.form.title })).toBeVisible();

      await page.getByRole("button", { name: fr.form.submit }).click();
      await expect(page.getByRole("heading", { level: 1, name: fr.confirmation.title })).toBeVisible();
      await expect(page.locator("html")).toHaveAttribute("lang", "fr");
      // The server writes the date on the member's country's clock, and names the zone briefly (French's own is an offset).
      await expect(page.locator(".lead time")).toContainText(zoneInFrench);
      await context.close();
    });
  });
}
