import { randomUUID } from "node:crypto";

import type { Page } from "@playwright/test";
import type pg from "pg";

import { createMember } from "../test/factories";
import { ADMIN_BASE_URL } from "./admin-fixtures";
import { expectNoViolations } from "./axe";
import { countRows, expect, test } from "./fixtures";
import { uniqueDay } from "./unique-day";

const LIST_URL = `${ADMIN_BASE_URL}/admin/objections`;

/**
 * A day of its own for each test: the shared e2e database holds everyone's objections, and a filter
 * on this day shows only this test's rows. 1950–1999: long ago, so nothing real falls on it, and
 * apart from the guards spec's days (1900–1949).
 */
const ownDay = () => uniqueDay({ from: "1950-01-01", days: 18_000 });

/** `count` objections on `day`, a minute apart, with addresses at a domain of this test's own (one address per country and number: one live objection per address). */
const seedObjections = async (db: pg.Pool, { day, count, country = "DE", domain }: { day: string; count: number; country?: string; domain: string }) => {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO "Objection" (email, country, source, "effectiveAt", reason)
     SELECT 'person' || i || '-' || lower($2) || '@' || $1, $2, 'direct', $3::date + i * interval '1 minute', CASE WHEN i % 4 = 0 THEN 'Leave me out.' END
       FROM generate_series(1, $4::int) AS i
     RETURNING id`,
    [domain, country, day, count],
  );
  return rows.map((row) => row.id);
};

const filterByDay = async (page: Page, day: string, more?: () => Promise<void>) => {
  await page.getByLabel("From (UTC)").fill(day);
  await page.getByLabel("To (UTC)").fill(day);
  await more?.();
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL(/from=/);
};

const rowLinks = (page: Page) => page.getByRole("table").getByRole("link", { name: /open objection/ });

test.describe("objections queue", () => {
  test("a viewer filters, searches and pages through seeded objections, masked; a search by address, downloads and imports are refused", async ({ page, db, asAdmin }) => {
    // Many page loads: 48.8 s in a CI run on two cores, too close to the default 60 s.
    const day = ownDay();
    const domain = `q-${randomUUID().slice(0, 8)}.example`;
    await seedObjections(db, { day, count: 40, domain });
    await seedObjections(db, { day, count: 20, country: "FR", domain });
    const externalId = `e2e-queue-${randomUUID()}`;
    const memberEmail = `${externalId}@${domain}`;
    const member = await createMember({ db, externalId, email: memberEmail, country: "NL", birthDate: "1980-01-01", locale: null });
    const objection = await db.query<{ id: string }>(
      `INSERT INTO "Objection" ("memberId", email, country, source, "effectiveAt") VALUES ($1, $2, 'NL', 'email_link', $3::date + interval '5 hours') RETURNING id`,
      [member.id, memberEmail, day],
    );
    const objectionId = objection.rows[0]!.id;
    await asAdmin("viewer");

    await page.goto(LIST_URL);
    await expect(page.getByRole("heading", { level: 1, name: "Objections" })).toBeVisible();
    await expectNoViolations(page);
    // A viewer reads: no selection, no download, no import.
    await expect(page.getByRole("checkbox")).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Download CSV" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "CSV with addresses…" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Import earlier objections" })).toHaveCount(0);

    // 61 rows on the day: 50, then 11, with no row twice.
    await filterByDay(page, day);
    await expect(rowLinks(page)).toHaveCount(50);
    const first = await rowLinks(page).allTextContents();
    expect(first.every((text) => text.includes("•••@"))).toBe(true);
    await page.getByRole("link", { name: "Next page" }).click();
    await expect(rowLinks(page)).toHaveCount(11);
    const second = await rowLinks(page).allTextContents();
    const hrefs = async () => rowLinks(page).evaluateAll((links) => links.map((link) => link.getAttribute("href")));
    const secondHrefs = await hrefs();
    await expect(page.getByRole("link", { name: "Next page" })).toHaveCount(0);
    await page.getByRole("link", { name: "First page" }).click();
    await expect(rowLinks(page)).toHaveCount(50);
    const firstHrefs = await hrefs();
    expect(new Set([...firstHrefs, ...secondHrefs]).size).toBe(61);
    expect(first.length + second.length).toBe(61);

    // The filters keep their values; a country narrows to its rows.
    await filterByDay(page, day, async () => {
      await page.getByLabel("Country").selectOption("FR");
    });
    await expect(rowLinks(page)).toHaveCount(20);
    await expect(page.getByRole("link", { name: "Next page" })).toHaveCount(0);
    await filterByDay(page, day, async () => {
      await page.getByLabel("Country").selectOption("");
      await page.getByLabel("Reason").selectOption("yes");
    });
    await expect(rowLinks(page)).toHaveCount(15);

    // A search by address tells whether that person objected: a reviewer's, audited. A viewer is told so.
    await page.goto(LIST_URL);
    await page.getByLabel("Email, external id or reference (exact)").fill(`  ${memberEmail.toUpperCase()} `);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/s=/);
    expect(decodeURIComponent(page.url())).not.toContain("@");
    await expect(page.getByRole("alert").filter({ hasText: "Searching by email address needs the reviewer role" })).toBeVisible();
    await page.getByLabel("Email, external id or reference (exact)").fill(externalId);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(rowLinks(page)).toHaveCount(1);
    // The reference a receipt and the status page show finds its objection, however it is typed.
    await page.goto(`${LIST_URL}/${objectionId}`);
    const title = await page.getByRole("heading", { level: 1 }).textContent();
    const reference = /Objection ([0-9A-Z]{5}(?:-[0-9A-Z]{5}){4})/.exec(title ?? "")?.[1];
    expect(reference).toBeTruthy();
    await page.goto(LIST_URL);
    await page.getByLabel("Email, external id or reference (exact)").fill(reference!.toLowerCase().replaceAll("-", " "));
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(rowLinks(page)).toHaveCount(1);
    expect(await rowLinks(page).first().getAttribute("href")).toContain(objectionId);
    await page.getByLabel("Email, external id or reference (exact)").fill(`nobody-${randomUUID()}`);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.getByText("No objections match these filters")).toBeVisible();
    await expectNoViolations(page);

    // The server refuses, whatever the page showed.
    expect((await page.request.get(`${LIST_URL}/download?from=${day}&to=${day}`)).status()).toBe(403);
    const upload = await page.request.post(`${LIST_URL}/import/upload`, {
      multipart: { file: { name: "prior.csv", mimeType: "text/csv", buffer: Buffer.from("email,objected_at,country\nx@example.eu,2025-01-01,DE\n") } },
    });
    expect(upload.status()).toBe(403);
    expect((await page.goto(`${LIST_URL}/import`))?.status()).toBe(403);
  });

  test("a reviewer marks two objections as spam in bulk, sees a result per item, and downloads the filtered list", async ({ page, db, asAdmin }) => {
    const day = ownDay();
    const domain = `b-${randomUUID().slice(0, 8)}.example`;
    const ids = await seedObjections(db, { day, count: 3, domain });
    const reviewer = await asAdmin("reviewer");

    await page.goto(LIST_URL);
    await filterByDay(page, day);
    await expect(rowLinks(page)).toHaveCount(3);
    const boxes = page.getByRole("checkbox", { name: /^Select the objection of/ });
    await boxes.nth(0).click();
    await boxes.nth(1).click();
    await expect(page.getByText("2 selected")).toBeVisible();
    await page.getByLabel("Action", { exact: true }).selectOption("spam");
    await page.getByRole("button", { name: "Apply to selection" }).click();
    const results = page.getByRole("list", { name: "Result per objection" });
    await expect(results.getByRole("listitem")).toHaveCount(2);
    await expect(results.getByText("Marked as spam.", { exact: true })).toHaveCount(2);
    await expect(page.getByRole("table").getByText("Spam", { exact: true })).toHaveCount(2);
    expect(
      await countRows(db, `SELECT count(*) FROM "ObjectionEvent" WHERE "objectionId" = ANY($1::uuid[]) AND type = 'marked_spam' AND "actorType" = 'admin' AND "actorId" = $2`, [
        ids,
        reviewer.id,
      ]),
    ).toBe(2);
    expect(await countRows(db, `SELECT count(*) FROM "AuditEvent" WHERE action = 'objection_spam' AND "actorId" = $1`, [reviewer.id])).toBe(2);
    await expectNoViolations(page);

    // Marking one of them again reports that item alone as not done.
    await boxes.nth(0).click();
    await boxes.nth(1).click();
    await boxes.nth(2).click();
    await page.getByRole("button", { name: "Apply to selection" }).click();
    await expect(results.getByText("Marked as spam.", { exact: true })).toHaveCount(1);
    await expect(results.getByText("This objection is already marked as spam.")).toHaveCount(2);

    const href = await page.getByRole("link", { name: "Download CSV" }).getAttribute("href");
    const download = await page.request.get(`${ADMIN_BASE_URL}${href}`);
    expect(download.status()).toBe(200);
    expect(download.headers()["content-type"]).toContain("text/csv");
    const lines = (await download.text()).trim().split("\n");
    expect(lines).toHaveLength(4);
    // The default file has no addresses (the one with addresses needs a reason: admin-objection-guards.spec.ts).
    expect(lines.some((line) => line.includes("@"))).toBe(false);
    const audit = await db.query<{ detail: { rows: number; filters: Record<string, string> } }>(
      `SELECT detail FROM "AuditEvent" WHERE action = 'objections_download' AND "actorId" = $1 ORDER BY id`,
      [reviewer.id],
    );
    const filters = { from: day, to: day, sort: "effectiveAt", dir: "desc" };
    expect(audit.rows).toEqual([{ detail: { started: true, addresses: false, filters } }, { detail: { rows: 3, complete: true, addresses: false, filters } }]);

    // A search by address, normalised: the address never appears in the URL, and the search is audited without it.
    await page.goto(LIST_URL);
    await page.getByLabel("Email, external id or reference (exact)").fill(`  ${`person1-de@${domain}`.toUpperCase()} `);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/s=/);
    expect(decodeURIComponent(page.url())).not.toContain("@");
    await expect(rowLinks(page)).toHaveCount(1);
    const searches = await db.query<{ detail: { found: number; objectionIds: string[] } }>(`SELECT detail FROM "AuditEvent" WHERE action = 'objection_search' AND "actorId" = $1`, [reviewer.id]);
    expect(searches.rows.map((row) => row.detail)).toMatchObject([{ found: 1, objectionIds: [ids[0]] }]);
    expect(JSON.stringify(searches.rows)).not.toContain("@");
  });

  test("an admin imports earlier objections: good rows land with their date, bad rows are reported by line", async ({ page, db, asAdmin }) => {
    const admin = await asAdmin("admin");
    const externalId = `e2e-prior-${randomUUID()}`;
    const domain = `p-${randomUUID().slice(0, 8)}.example`;
    await createMember({ db, externalId, email: `m@${domain}`, country: "AT", birthDate: "1980-01-01", locale: null });

    await page.goto(LIST_URL);
    await page.getByRole("link", { name: "Import earlier objections" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Import earlier objections" })).toBeVisible();
    await expectNoViolations(page);

    const csv = ["external_id,email,objected_at,country,reason", `${externalId},,2025-03-14,,`, `,new@${domain},2025-06-01T10:00:00Z,PT,Too late to ask`, `,broken,2025-01-01,DE,`, `,x@${domain},2099-01-01,DE,`].join(
      "\n",
    );
    await page.getByLabel(/CSV file/).setInputFiles({ name: "prior.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "Import" }).click();
    await expect(page.getByText("2 of 4 rows imported")).toBeVisible();
    const table = page.getByRole("table", { name: "Import result per line" });
    await expect(table.getByRole("row")).toHaveCount(5);
    await expect(table.getByRole("row").nth(1)).toContainText("Imported, matched by external id");
    await expect(table.getByRole("row").nth(2)).toContainText("Imported, unmatched");
    await expect(table.getByRole("row").nth(3)).toContainText("email is not an email address");
    await expect(table.getByRole("row").nth(4)).toContainText("objected_at is in the future");
    await expectNoViolations(page);

    const { rows } = await db.query<{ id: string; effectiveAt: Date; country: string }>(
      `SELECT id, "effectiveAt", country FROM "Objection" WHERE source = 'prior' AND email IN ($1, $2) ORDER BY "effectiveAt"`,
      [`m@${domain}`, `new@${domain}`],
    );
    expect(rows.map((row) => [row.effectiveAt.toISOString(), row.country])).toEqual([
      ["2025-03-14T00:00:00.000Z", "AT"],
      ["2025-06-01T10:00:00.000Z", "PT"],
    ]);
    // Marked for the next export (or already taken by a run that happened since).
    const ids = rows.map((row) => row.id);
    expect(
      await countRows(
        db,
        `SELECT count(*) FROM unnest($1::uuid[]) AS o(id) WHERE EXISTS (SELECT 1 FROM "ExportPending" p WHERE p."objectionId" = o.id) OR EXISTS (SELECT 1 FROM "ExportMember" m WHERE m."objectionId" = o.id)`,
        [ids],
      ),
    ).toBe(2);
    expect(await countRows(db, `SELECT count(*) FROM "AuditEvent" WHERE action = 'objections_import' AND "actorId" = $1`, [admin.id])).toBe(1);
  });
});
