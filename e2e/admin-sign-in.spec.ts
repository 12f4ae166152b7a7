import { randomUUID } from "node:crypto";

import { expectNoViolations } from "./axe";
import { countRows, expect, test } from "./fixtures";
import { createAdmin } from "../test/factories";
import { emailsTo as emailsToAddress } from "../test/inbox";
import { TEST_ENV } from "../test/test-env";

const emailsTo = (address: string) => emailsToAddress({ inboxUrl: process.env.E2E_INBOX_URL ?? "", address });

const signInLinkFrom = (text: string) => {
  const link = /https?:\/\/\S+\/api\/auth\/callback\/nodemailer\S*/.exec(text)?.[0];
  if (!link) throw new Error("The email holds no sign-in link");
  return link;
};

/** Asks for a link as a person does; returns what the browser was told: the form's answer's status and where it ended up. */
const requestLink = async (page: import("@playwright/test").Page, email: string) => {
  await page.goto("/admin/sign-in");
  await page.getByLabel("Work email").fill(email);
  const answer = page.waitForResponse((response) => response.request().method() === "POST" && new URL(response.url()).pathname === "/admin/sign-in");
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  const response = await answer;
  return { status: response.status(), redirect: (await response.allHeaders())["x-action-redirect"] ?? null, url: page.url() };
};

test.describe("admin sign-in", () => {
  test("an address in ADMIN_EMAILS signs in through the emailed link and becomes admin; the link holds no address and works once", async ({ page, db, inbox }) => {
    const address = TEST_ENV.ADMIN_EMAILS;
    await page.goto("/admin");
    await expect(page).toHaveURL(/\/admin\/sign-in$/);
    await expectNoViolations(page);

    await requestLink(page, address.toUpperCase());
    await expectNoViolations(page);
    const email = await inbox.waitForEmailTo(address);
    const link = signInLinkFrom(email.text);
    expect(link).not.toContain("%40");
    expect(link).not.toContain("@");

    await page.goto(link);
    await expect(page).toHaveURL(/\/admin$/);
    await expect(page.getByRole("navigation", { name: "Console" })).toBeVisible();
    await expect(page.getByText("Admin", { exact: true })).toBeVisible();

    const admin = await db.query<{ id: string; role: string }>(`SELECT id, role FROM "AdminUser" WHERE email = $1`, [address]);
    expect(admin.rows[0]?.role).toBe("admin");
    expect(await countRows(db, `SELECT count(*) FROM "AuditEvent" WHERE "actorId" = $1 AND action = 'sign_in'`, [admin.rows[0]!.id])).toBe(1);

    // Used once: opening it again signs no one in.
    const second = await page.context().browser()!.newContext();
    const again = await second.newPage();
    await again.goto(link);
    await expect(again).toHaveURL(/\/admin\/sign-in\/error/);
    await second.close();
  });

  test("an address not on the list sees the same page and gets no email", async ({ page, db, inbox }) => {
    const stranger = `stranger-${randomUUID()}@objection.test`;
    const strangers = await requestLink(page, stranger);

    // A listed address asked after the stranger: once its email is in, the stranger's would be too.
    const invited = await createAdmin({ db, role: "viewer", verified: true });
    const invitees = await requestLink(page, invited.email);
    // The same answer and the same address for both: Auth.js's own /api/auth/verify-request never shows.
    expect(strangers).toEqual(invitees);
    expect(new URL(invitees.url).pathname).toBe("/admin/sign-in/check-email");
    await inbox.waitForEmailTo(invited.email);
    expect(await emailsTo(stranger)).toHaveLength(0);
    expect(await countRows(db, `SELECT count(*) FROM "AdminUser" WHERE email = $1`, [stranger])).toBe(0);
  });

  test("sign-in emails are rate-limited per address", async ({ page, db, inbox }) => {
    const invited = await createAdmin({ db, role: "reviewer", verified: true });
    for (let attempt = 0; attempt < 7; attempt += 1) await requestLink(page, invited.email);
    // The worker sends a batch of queued emails at once, in no set order, and deletes each job it
    // handled: an empty queue means every email that was queued has been handed to the relay.
    await expect.poll(() => countRows(db, `SELECT count(*) FROM pgboss.job WHERE name = 'admin-sign-in' AND state < 'completed'`, [])).toBe(0);
    await expect.poll(async () => (await emailsTo(invited.email)).length).toBe(5);
    // An email queued after those arrives after them: by then a sixth would have arrived too.
    const sentinel = await createAdmin({ db, role: "viewer", verified: true });
    await requestLink(page, sentinel.email);
    await inbox.waitForEmailTo(sentinel.email);
    expect(await emailsTo(invited.email)).toHaveLength(5);
  });

  test("an expired session is sent back to sign-in", async ({ page, db, asAdmin }) => {
    const admin = await asAdmin("viewer");
    await page.goto("/admin");
    await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();

    await db.query(`UPDATE "AdminSession" SET expires = now() - interval '1 minute' WHERE "userId" = $1`, [admin.id]);
    await page.goto("/admin");
    await expect(page).toHaveURL(/\/admin\/sign-in$/);
  });

  test("a session idle for less than 8 hours slides forward", async ({ page, db, asAdmin }) => {
    const admin = await asAdmin("viewer");
    await db.query(`UPDATE "AdminSession" SET expires = now() + interval '7 hours' WHERE "userId" = $1`, [admin.id]);
    await page.goto("/admin");
    await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
    const { rows } = await db.query<{ hours: number }>(`SELECT extract(epoch FROM expires - now()) / 3600 AS hours FROM "AdminSession" WHERE "userId" = $1`, [admin.id]);
    expect(Number(rows[0]?.hours)).toBeGreaterThan(7.9);
  });

  test("signing out ends the session and is audited", async ({ page, db, asAdmin }) => {
    const admin = await asAdmin("viewer");
    await page.goto("/admin");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/admin\/sign-in$/);
    expect(await countRows(db, `SELECT count(*) FROM "AdminSession" WHERE "userId" = $1`, [admin.id])).toBe(0);
    expect(await countRows(db, `SELECT count(*) FROM "AuditEvent" WHERE "actorId" = $1 AND action = 'sign_out'`, [admin.id])).toBe(1);
  });
});
