import { expect, test as base, type Page } from "@playwright/test";
import pg from "pg";

import { startApp, startWorker, stopAll, type TStopper } from "../scripts/lib/stack";
import { waitForEmailTo } from "../test/inbox";
import { createTestDatabase, dropTestDatabase } from "../test/test-database";
import { TEST_ENV } from "../test/test-env";
import { expectNoViolations } from "./axe";
import { E2E_PORTS } from "./ports";
import { E2E_SSO_ENV, E2E_SSO_NAME, E2E_SSO_ONLY_APP_URL, SSO_USERS } from "./sso";

// ADMIN_EMAIL_SIGN_IN=0 in Chromium: an app of its own (its database and worker; the e2e stack's
// inbox and OpenID provider) where single sign-on is the way in, and the emailed link is left to
// ADMIN_EMAILS' break-glass addresses.
const BREAK_GLASS = "break-glass@objection.test";
const INBOX_URL = `http://127.0.0.1:${E2E_PORTS.inbox}`;

type TSsoOnlyStack = { db: pg.Pool };

const test = base.extend<object, { stack: TSsoOnlyStack }>({
  stack: [
    async ({}, use) => {
      const database = await createTestDatabase("objection_e2e_sso_only");
      const env = {
        ...TEST_ENV,
        ...E2E_SSO_ENV,
        DATABASE_URL: database.url,
        APP_URL: E2E_SSO_ONLY_APP_URL,
        SMTP_URL: `smtp://127.0.0.1:${E2E_PORTS.smtp}`,
        ADMIN_EMAIL_SIGN_IN: "0",
        ADMIN_EMAILS: BREAK_GLASS,
      };
      const parts: TStopper[] = [];
      const db = new pg.Pool({ connectionString: database.url, max: 2 });
      try {
        parts.push(startWorker({ env, logs: !!process.env.E2E_LOGS }));
        parts.push(await startApp({ env, port: Number(new URL(E2E_SSO_ONLY_APP_URL).port), logs: !!process.env.E2E_LOGS }));
        await use({ db });
      } finally {
        await stopAll(parts);
        await db.end();
        await dropTestDatabase(database.name);
      }
    },
    { scope: "worker" },
  ],
});

test.use({ baseURL: E2E_SSO_ONLY_APP_URL });
// One app on one port: both tests in the worker that started it.
test.describe.configure({ mode: "serial" });

const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test("with the emailed link off, the sign-in page offers single sign-on and break-glass only, and single sign-on works", async ({ page, stack }) => {
  await page.goto("/admin/sign-in");
  await expect(page.getByRole("button", { name: `Sign in with ${E2E_SSO_NAME}` })).toBeVisible();
  await expect(page.getByLabel("Work email")).toHaveCount(0);
  await expectNoViolations(page);
  await page.setViewportSize({ width: 375, height: 740 });
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

  await page.getByRole("button", { name: `Sign in with ${E2E_SSO_NAME}` }).click();
  await page.getByLabel("Login").fill(SSO_USERS.viewer.sub);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  const { rows } = await stack.db.query<{ method: string }>(`SELECT s.method FROM "AdminSession" s JOIN "AdminUser" u ON u.id = s."userId" WHERE u.email = $1`, [SSO_USERS.viewer.email]);
  expect(rows.map((row) => row.method)).toEqual(["sso"]);
});

test("break-glass: only an ADMIN_EMAILS address gets a link; its sign-in is recorded as break-glass", async ({ page, stack }) => {
  const invited = `invited-${Date.now()}@objection.test`;
  await stack.db.query(`INSERT INTO "AdminUser" (email, role) VALUES ($1, 'admin')`, [invited]);
  await page.goto("/admin/sign-in");
  await page.getByRole("link", { name: "Break-glass sign-in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Break-glass sign-in" })).toBeVisible();
  await expectNoViolations(page);

  // An invited admin asks: the same answer, and the worker drops the request without an email.
  await page.getByLabel("Work email").fill(invited);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page).toHaveURL(/\/admin\/sign-in\/check-email$/);
  await expect.poll(async () => (await stack.db.query(`SELECT 1 FROM "AdminVerificationToken" WHERE identifier = $1`, [invited])).rowCount, { timeout: 15_000 }).toBe(0);

  await page.goto("/admin/sign-in/break-glass");
  await page.getByLabel("Work email").fill(BREAK_GLASS);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page).toHaveURL(/\/admin\/sign-in\/check-email$/);
  const email = await waitForEmailTo({ inboxUrl: INBOX_URL, address: BREAK_GLASS });
  const link = /https?:\/\/\S+\/api\/auth\/callback\/nodemailer\S*/.exec(email.text)?.[0];
  expect(link).toBeDefined();
  expect((await fetch(`${INBOX_URL}/api/email`).then((response) => response.json()) as { to: { address: string }[] }[]).some((sent) => sent.to.some((to) => to.address === invited))).toBe(false);
  await page.goto(link!);
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  const { rows } = await stack.db.query<{ method: string; detail: unknown }>(
    `SELECT s.method, (SELECT detail FROM "AuditEvent" a WHERE a."actorId" = u.id AND a.action = 'sign_in') AS detail FROM "AdminSession" s JOIN "AdminUser" u ON u.id = s."userId" WHERE u.email = $1`,
    [BREAK_GLASS],
  );
  expect(rows).toEqual([{ method: "break_glass", detail: { method: "break_glass" } }]);

  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto("/admin/sign-in/break-glass");
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
});
