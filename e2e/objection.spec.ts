import de from "../messages/de.json";
import en from "../messages/en.json";
import { tamperedToken } from "../test/tampered-token";
import { countRows, createdEventCount, expect, objectionCount, test } from "./fixtures";

test.describe("the personal link and the objection form", () => {
  test("opening a link, submitting and seeing the confirmation stores one objection and its event, and sends the receipt", async ({ page, createMember, db, inbox }) => {
    const member = await createMember({ country: "NL" });
    await page.goto(member.path);

    await expect(page.getByRole("heading", { level: 1, name: en.form.title })).toBeVisible();
    await expect(page.getByLabel(en.form.email)).toHaveValue(`e•••@example.eu`);
    await expect(page.getByLabel(en.form.country)).toHaveValue("NL");

    await page.getByRole("button", { name: en.form.submit }).click();
    await expect(page.getByRole("heading", { level: 1, name: en.confirmation.title })).toBeVisible();

    expect(await objectionCount(db, member.id)).toBe(1);
    expect(await createdEventCount(db, member.id)).toBe(1);
    const stored = await db.query(`SELECT status, source, country, "notificationId" FROM "Objection" WHERE "memberId" = $1`, [member.id]);
    expect(stored.rows[0]).toEqual({ status: "effective", source: "email_link", country: "NL", notificationId: member.notificationId });
    const clicked = await db.query(`SELECT status, "clickedAt" FROM "Notification" WHERE id = $1`, [member.notificationId]);
    expect(clicked.rows[0].status).toBe("clicked");

    const receipt = await inbox.waitForEmailTo(member.email, { subject: en.emails.receipt.subject });
    expect(receipt.text).toContain(en.emails.receipt.what);
    expect(receipt.text).toContain(en.emails.receipt.never);
    expect(receipt.text).toMatch(/http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]{72}/);
    expect(receipt.html).toContain(en.emails.receipt.heading);
  });

  test("a second submission, from a second tab, creates no new row and shows the same objection", async ({ browser, createMember, db }) => {
    const member = await createMember();
    const first = await browser.newPage();
    const second = await browser.newPage();
    await first.goto(member.path);
    await second.goto(member.path);

    await first.getByRole("button", { name: en.form.submit }).click();
    await expect(first.getByRole("heading", { name: en.confirmation.title })).toBeVisible();
    const reference = await first.locator("dd").nth(1).textContent();

    await second.getByRole("button", { name: en.form.submit }).click();
    await expect(second.getByRole("heading", { name: en.confirmation.title })).toBeVisible();
    await expect(second.locator("dd").nth(1)).toHaveText(reference ?? "");

    // Opening the link again shows the objection, not the form.
    await first.goto(member.path);
    await expect(first.getByRole("heading", { name: en.confirmation.title })).toBeVisible();

    expect(await objectionCount(db, member.id)).toBe(1);
    expect(await createdEventCount(db, member.id)).toBe(1);
  });

  test("the reason is stored verbatim and shown escaped", async ({ page, createMember, db }) => {
    const member = await createMember();
    const reason = `<img src=x onerror="window.__pwned=1"> & "quotes" 🙂`;
    await page.goto(member.path);
    await page.getByLabel(en.form.reason).fill(reason);
    await page.getByRole("button", { name: en.form.submit }).click();

    await expect(page.locator(".reason")).toHaveText(reason);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const stored = await db.query(`SELECT reason FROM "Objection" WHERE "memberId" = $1`, [member.id]);
    expect(stored.rows[0].reason).toBe(reason);
  });

  test("the link's first load runs no framework script: the counter follows what is typed and the browser keeps the reason to 2,000 characters", async ({ page, createMember }) => {
    const member = await createMember();
    await page.goto(member.path);
    // One inline script, the counter's (lib/links/light-form-page.ts): no script files, no page data.
    await expect(page.locator("script")).toHaveCount(1);
    await expect(page.locator("script[src]")).toHaveCount(0);
    const reason = page.getByLabel(en.form.reason);
    await expect(reason).toHaveAttribute("maxlength", "2000");
    await expect(page.locator("#reason-counter")).toHaveText("0 of 2,000 characters");
    await reason.fill("Not for training.");
    await expect(page.locator("#reason-counter")).toHaveText("17 of 2,000 characters");
    await reason.fill("x".repeat(2001));
    await expect(reason).toHaveValue("x".repeat(2000));
    await expect(page.locator("#reason-counter")).toHaveText("2,000 of 2,000 characters");
  });

  test("on the form Next renders (returned with errors), a reason over 2,000 characters gets an error next to the field and stores nothing", async ({ page, createMember, db }) => {
    const member = await createMember();
    await page.goto(`${member.path}?error=reason:reason_too_long`);
    const reason = page.getByLabel(en.form.reason);
    // Hydrated: the counter and the error, rather than the browser, keep the reason's length.
    await expect(reason).not.toHaveAttribute("maxlength");
    await reason.fill("x".repeat(2001));
    await expect(page.locator("#reason-counter")).toHaveText("2,001 of 2,000 characters");
    await page.getByRole("button", { name: en.form.submit }).click();

    await expect(page.getByRole("alert").filter({ hasText: "1 field needs" })).toBeVisible();
    await expect(page.locator("#reason-error")).toHaveText("Keep your reason to 2,000 characters or fewer.");
    await expect(page.getByLabel(en.form.reason)).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel(en.form.reason)).toHaveAttribute("aria-describedby", /reason-error/);
    expect(await objectionCount(db, member.id)).toBe(0);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the same submission works as a plain form post", async ({ page, createMember, db }) => {
    const member = await createMember({ country: "FR" });
    await page.goto(member.path);
    await page.getByLabel(en.form.reason).fill("No JavaScript here.");
    await page.getByRole("button", { name: en.form.submit }).click();
    await expect(page.getByRole("heading", { level: 1, name: en.confirmation.title })).toBeVisible();
    expect(await objectionCount(db, member.id)).toBe(1);
    expect(await createdEventCount(db, member.id)).toBe(1);
  });

  test("the browser keeps the reason to 2,000 characters, and a post past it gets the error next to the field and stores nothing", async ({ page, createMember, db }) => {
    const member = await createMember();
    await page.goto(member.path);
    await expect(page.getByLabel(en.form.reason)).toHaveAttribute("maxlength", "2000");

    // A crafted post, or a browser that ignores maxlength: the server checks with the same schema.
    const response = await page.request.post("/o/submit", { form: { token: member.token, country: "IE", reason: "y".repeat(2001) }, maxRedirects: 0 });
    expect(response.status()).toBe(303);
    const location = response.headers().location ?? "";
    expect(location).not.toContain("yyy");
    await page.goto(location);
    await expect(page.locator("#reason-error")).toHaveText("Keep your reason to 2,000 characters or fewer.");
    await expect(page.getByRole("alert").first()).toBeVisible();
    await expect(page.getByLabel(en.form.country)).toHaveValue("IE");
    expect(await objectionCount(db, member.id)).toBe(0);
  });
});

test.describe("the form's post under load", () => {
  test("20 concurrent posts of one link, as browsers with and without JavaScript send them, store exactly one objection, event and receipt job", async ({ request, createMember, db }) => {
    const member = await createMember();
    const form = { token: member.token, country: "IE", reason: "" };
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        request.post("/o/submit", { form, maxRedirects: 0, headers: index % 2 === 0 ? { accept: "application/json" } : {} }),
      ),
    );
    expect(responses.map((response) => response.status()).sort()).toEqual([...Array<number>(10).fill(200), ...Array<number>(10).fill(303)]);
    expect(await objectionCount(db, member.id)).toBe(1);
    expect(await createdEventCount(db, member.id)).toBe(1);
    const jobs = await countRows(
      db,
      `SELECT count(*) FROM pgboss.job j JOIN "Objection" o ON o.id::text = j.data->>'objectionId' WHERE j.name = 'objection-receipt' AND o."memberId" = $1`,
      [member.id],
    );
    expect(jobs).toBe(1);
  });

  test("20 browsers, half with JavaScript and half without, pressing the button on one link at once store exactly one objection", async ({ browser, createMember, db }) => {
    const member = await createMember();
    const withScript = await browser.newContext();
    const withoutScript = await browser.newContext({ javaScriptEnabled: false });
    try {
      const pages = await Promise.all(Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? withScript : withoutScript).newPage()));
      await Promise.all(pages.map((page) => page.goto(member.path)));
      await Promise.all(pages.map((page) => page.getByRole("button", { name: en.form.submit }).click()));
      for (const page of pages) await expect(page.getByRole("heading", { level: 1, name: en.confirmation.title })).toBeVisible();
    } finally {
      await withScript.close();
      await withoutScript.close();
    }
    expect(await objectionCount(db, member.id)).toBe(1);
    expect(await createdEventCount(db, member.id)).toBe(1);
  });

  test("a post with a link that cannot be used stores nothing and ends on the friendly page", async ({ request, createMember, db }) => {
    const member = await createMember();
    const tampered = tamperedToken(member.token);
    const response = await request.post("/o/submit", { form: { token: tampered, country: "IE" }, maxRedirects: 0 });
    expect(response.status()).toBe(303);
    expect(response.headers().location).toBe("/o/invalid");
    const json = await request.post("/o/submit", { form: { token: tampered, country: "IE" }, headers: { accept: "application/json" } });
    expect(json.status()).toBe(404);
    expect(await objectionCount(db, member.id)).toBe(0);
  });
});

test.describe("language", () => {
  test.use({ locale: "de-DE", extraHTTPHeaders: { "accept-language": "de-DE,de;q=0.9" } });

  test("the form follows the browser's language", async ({ page, createMember }) => {
    const member = await createMember({ locale: "de" });
    await page.goto(member.path);
    await expect(page.locator("html")).toHaveAttribute("lang", "de");
    await expect(page.getByRole("heading", { level: 1, name: de.form.title })).toBeVisible();
    await expect(page.getByRole("button", { name: de.form.submit })).toBeVisible();
    // The counter's script writes the number the page's language's way.
    await page.getByLabel(de.form.reason).fill("x".repeat(1234));
    await expect(page.locator("#reason-counter")).toHaveText("1.234 von 2.000 Zeichen");
  });
});

test("GET /api/health answers ok when the database answers", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: "ok", export: { acknowledged: expect.any(Boolean) } });
});
