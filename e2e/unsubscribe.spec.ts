import de from "../messages/de.json";
import en from "../messages/en.json";
import { mintLinkToken } from "../lib/links/token";
import { expectNoViolations } from "./axe";
import { countRows, expect, objectionCount, test } from "./fixtures";

const inOneYear = () => new Date(Date.now() + 365 * 86_400_000);

/** The "stop these emails" token a notice carries in List-Unsubscribe. */
const unsubscribeToken = (notificationId: string) =>
  mintLinkToken({ subject: { kind: "unsubscribe", id: notificationId }, expiresAt: inOneYear(), secret: process.env.E2E_LINK_SECRET ?? "" });

const brand = (text: string) => text.replace("{brand}", "Example Social");

const suppressionCount = (db: import("pg").Pool, memberId: string) => countRows(db, `SELECT count(*) FROM "EmailSuppression" WHERE "memberId" = $1 AND reason = 'unsubscribe'`, [memberId]);

for (const javaScriptEnabled of [true, false]) {
  test.describe(`"stop these emails", JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled });

    test("opening the page changes nothing; the button stops emails, says it is not an objection, and the objection form is one click away", async ({ page, createMember, db }) => {
      const member = await createMember();
      const path = `/u/${unsubscribeToken(member.notificationId)}`;

      const response = await page.goto(path);
      expect(response?.status()).toBe(200);
      expect(response?.headers()["referrer-policy"]).toBe("no-referrer");
      await expect(page.getByRole("heading", { level: 1, name: en.unsubscribe.title })).toBeVisible();
      await expect(page.getByText(brand(en.unsubscribe.notObjection))).toBeVisible();
      if (javaScriptEnabled) await expectNoViolations(page);
      // A mail scanner opening the link stops nothing.
      expect(await suppressionCount(db, member.id)).toBe(0);

      await page.getByRole("button", { name: en.unsubscribe.button }).click();
      await expect(page.getByRole("heading", { level: 1, name: en.unsubscribe.stoppedTitle })).toBeVisible();
      await expect(page).toHaveURL(new RegExp(`${path}$`));
      await expect(page.getByText(brand(en.unsubscribe.stopped))).toBeVisible();
      await expect(page.getByText(brand(en.unsubscribe.notObjection))).toBeVisible();
      if (javaScriptEnabled) await expectNoViolations(page);
      expect(await suppressionCount(db, member.id)).toBe(1);
      expect(await objectionCount(db, member.id)).toBe(0);

      await page.getByRole("link", { name: en.unsubscribe.objectButton }).click();
      await expect(page.getByRole("heading", { level: 1, name: en.form.title })).toBeVisible();
    });
  });
}

test("a mail client's one-click POST to the List-Unsubscribe URL answers 200, stops emails once and stores no objection", async ({ request, createMember, db }) => {
  const member = await createMember();
  const path = `/u/${unsubscribeToken(member.notificationId)}`;
  for (let i = 0; i < 2; i++) {
    const response = await request.post(path, { form: { "List-Unsubscribe": "One-Click" }, maxRedirects: 0 });
    expect(response.status()).toBe(200);
  }
  expect(await suppressionCount(db, member.id)).toBe(1);
  expect(await objectionCount(db, member.id)).toBe(0);
  const bad = await request.post(path, { form: { unsubscribe: "yes" }, maxRedirects: 0 });
  expect(bad.status()).toBe(400);
});

test("the page speaks the member's language, and an objection link cannot stop emails", async ({ page, createMember, db }) => {
  const member = await createMember({ country: "DE", locale: "de" });
  await page.goto(`/u/${unsubscribeToken(member.notificationId)}`);
  await expect(page.getByRole("heading", { level: 1, name: de.unsubscribe.title })).toBeVisible();

  // A link that cannot be used names no member, so the page speaks the visitor's language.
  const objectionLink = await page.goto(`/u/${member.token}`);
  expect(objectionLink?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: en.unsubscribe.invalidTitle })).toBeVisible();
  expect(await suppressionCount(db, member.id)).toBe(0);
});
