import { expectNoViolations } from "./axe";
import { expect, test } from "./fixtures";
import { messagesOf, useLocale } from "./public-pages";

const LAID_OUT_LOCALES = ["en", "de"] as const;

// The public transparency report. Other specs' notices and objections land in this month's
// counters: the figures checked here are a month of their own, long past, seeded as the triggers
// would have left them (idempotent: each worker seeds).
const MONTH = "2019-03";

test.beforeAll(async ({ db }) => {
  await db.query(
    `INSERT INTO "TransparencyCounter" (country, month, shard, "noticesSent", reached, objections, withdrawals) VALUES
       ('DE', '2019-03-01', 0, 0, 9, 10, 1), ('FR', '2019-03-01', 0, 1234567, 250000, 4321, 12)
     ON CONFLICT DO NOTHING`,
  );
  await db.query(`INSERT INTO "TransparencyExportHours" (country, month, hours, count) VALUES ('DE', '2019-03-01', 5, 9), ('FR', '2019-03-01', 26, 4321) ON CONFLICT DO NOTHING`);
  await db.query(`SELECT refresh_transparency_medians(ARRAY['DE', 'FR'], ARRAY['2019-03-01', '2019-03-01']::date[])`);
});

test("/transparency.json answers the figures as JSON, withholding counts from 1 to 9", async ({ request }) => {
  const response = await request.get("/transparency.json");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toMatch(/^application\/json/);
  expect(response.headers()["cache-control"]).toBe("public, max-age=60, s-maxage=300");
  const { rows } = (await response.json()) as { rows: { country: string; month: string }[] };
  expect(rows.find((row) => row.country === "DE" && row.month === MONTH)).toEqual({
    country: "DE",
    month: MONTH,
    notices_sent: { value: 0, withheld: false },
    reached: { value: null, withheld: true },
    objections: { value: 10, withheld: false },
    withdrawals: { value: null, withheld: true },
    median_hours_to_export: { value: null, withheld: true },
  });
});

// The footer is every public page's (components/site-shell.tsx): the start page stands for them.
test("the start page's footer links to the report, in the visitor's language", async ({ page, baseURL }) => {
  const common = messagesOf("de").common;
  await useLocale(page, { locale: "de", baseURL: baseURL! });
  await page.goto("/");
  await page.getByRole("navigation", { name: common.footerNav }).getByRole("link", { name: common.transparencyReport }).click();
  await expect(page).toHaveURL(/\/transparency$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(messagesOf("de").transparency.title);
});

test.describe("/transparency on a phone (375 px wide)", () => {
  test.use({ viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true });

  // Laid out in Chromium in English and German, as the other public pages are; every language's
  // page is checked as served (lang, title, h1, axe) with them in accessibility-languages.spec.ts.
  for (const locale of LAID_OUT_LOCALES) {
    test(`${locale}: a card per country with the withheld mark, no sideways scroll, no axe violations`, async ({ page, baseURL }) => {
      const t = messagesOf(locale).transparency;
      await useLocale(page, { locale, baseURL: baseURL! });
      await page.goto(`/transparency?month=${MONTH}`);
      await expect(page.locator("html")).toHaveAttribute("lang", locale);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(t.title);
      await expect(page.locator("#transparency-month")).toHaveValue(MONTH);
      // 0 and 10 shown, 9, 1 and a median of 9 objections withheld.
      await expect(page.locator('.transparency-cards li[data-country="DE"] dd')).toHaveText(["0", t.withheld, "10", t.withheld, t.withheld]);
      await expect(page.locator(".transparency-table")).toBeHidden();
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
      await expectNoViolations(page);
    });
  }
});
