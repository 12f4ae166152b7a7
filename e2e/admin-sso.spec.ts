import type { BrowserContext, Page } from "@playwright/test";
import type pg from "pg";

import { signInAtProvider } from "../test/oidc-browser";
import { ADMIN_BASE_URL } from "./admin-fixtures";
import { expectNoViolations } from "./axe";
import { expect, test, type TTestMember } from "./fixtures";
import { E2E_OIDC_ISSUER, E2E_SSO_NAME, SSO_USERS, setSsoUser } from "./sso";

// Single sign-on in Chromium against a real OpenID provider (oidc-provider, started by the global
// setup with users in groups; e2e/sso.ts): the console's button, the provider's login form, and
// back. Every test starts in a fresh browser context, so the provider always asks who signs in.

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const AT_PROVIDER = new RegExp(`^${escapeRegExp(E2E_OIDC_ISSUER)}/interaction/`);
const REDIRECT_URI = `${ADMIN_BASE_URL}/api/auth/callback/oidc`;

const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

const hasSession = async (context: BrowserContext) => (await context.cookies()).some((cookie) => cookie.name === "authjs.session-token");

/** The console's button: Auth.js sends the browser to the provider's login form. */
const startSso = async (page: Page) => {
  await page.goto("/admin/sign-in");
  await page.getByRole("button", { name: `Sign in with ${E2E_SSO_NAME}` }).click();
  await expect(page).toHaveURL(AT_PROVIDER);
};

/** The whole flow as a person does it: the button, the provider's form, and back to the console. */
const signInBySso = async (page: Page, login: string) => {
  await startSso(page);
  await page.getByLabel("Login").fill(login);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
};

const roleOf = async (db: pg.Pool, email: string) => (await db.query<{ role: string }>(`SELECT role FROM "AdminUser" WHERE email = $1`, [email])).rows[0]?.role ?? null;

const createObjection = async (db: pg.Pool, member: TTestMember) =>
  (
    await db.query<{ id: string }>(`INSERT INTO "Objection" ("memberId", "notificationId", "campaignId", email, country, source) VALUES ($1, $2, $3, $4, 'IE', 'email_link') RETURNING id`, [
      member.id,
      member.notificationId,
      member.campaignId,
      member.email,
    ])
  ).rows[0]!.id;

const expectInConsole = async (page: Page) => {
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  expect(await hasSession(page.context())).toBe(true);
};

const teamLink = (page: Page) => page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Team" });

/** A refused sign-in: the console's own page, no session, and the console still asks for sign-in. */
const expectRefused = async (page: Page, path: RegExp) => {
  await expect(page).toHaveURL(path);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(await hasSession(page.context())).toBe(false);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/sign-in$/);
};

test.describe("single sign-on against a real OpenID provider", () => {
  test("the sign-in page offers the provider beside the email link, with no violations and no sideways scroll at 375 px", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    // Its form may lead to the provider (the button's redirect); no other page's may.
    expect((await page.goto("/admin/sign-in"))?.headers()["content-security-policy"]).toContain(`form-action 'self' ${E2E_OIDC_ISSUER};`);
    expect((await page.request.get("/admin/sign-in/no-access")).headers()["content-security-policy"]).toContain("form-action 'self';");
    await page.goto("/admin/sign-in");
    await expect(page.getByRole("button", { name: `Sign in with ${E2E_SSO_NAME}` })).toBeVisible();
    await expect(page.getByText("or", { exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "Email me a sign-in link" })).toBeVisible();
    await expectNoViolations(page);
    expect(await horizontalOverflow(page)).toBe(0);
  });

  test("a user of the admins' group signs in as admin: the team page, and the sign-in audited as single sign-on", async ({ page, db }) => {
    await signInBySso(page, SSO_USERS.admin.sub);
    await expectInConsole(page);
    await expect(teamLink(page)).toBeVisible();
    expect((await page.goto("/admin/team"))?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: "Team" })).toBeVisible();
    expect(await roleOf(db, SSO_USERS.admin.email)).toBe("admin");
    const audit = await db.query<{ detail: Record<string, unknown> }>(
      `SELECT e.detail FROM "AuditEvent" e JOIN "AdminUser" u ON u.id = e."actorId" WHERE u.email = $1 AND e.action = 'sign_in'`,
      [SSO_USERS.admin.email],
    );
    expect(audit.rows.map((row) => row.detail)).toContainEqual({ method: "sso", subject: SSO_USERS.admin.sub, mappedRole: "admin" });
  });

  test("a user of the reviewers' group signs in as reviewer: reveals an objection's data, has no team page", async ({ page, db, createMember }) => {
    const member = await createMember();
    const objectionId = await createObjection(db, member);
    await signInBySso(page, SSO_USERS.reviewer.sub);
    await expectInConsole(page);
    await expect(teamLink(page)).toHaveCount(0);
    expect((await page.goto("/admin/team"))?.status()).toBe(403);

    await page.goto(`/admin/objections/${objectionId}`);
    await expect(page.getByTestId("objection-email")).toHaveText(/•••@/);
    await page.getByRole("button", { name: "Reveal personal data" }).click();
    await expect(page.getByTestId("objection-email")).toHaveText(member.email);
    expect(await roleOf(db, SSO_USERS.reviewer.email)).toBe("reviewer");
  });

  test("a user of the viewers' group signs in as viewer: masked data, no reveal, no team page", async ({ page, db, createMember }) => {
    const member = await createMember();
    const objectionId = await createObjection(db, member);
    await signInBySso(page, SSO_USERS.viewer.sub);
    await expectInConsole(page);
    await expect(teamLink(page)).toHaveCount(0);
    expect((await page.goto("/admin/team"))?.status()).toBe(403);

    await page.goto(`/admin/objections/${objectionId}`);
    await expect(page.getByTestId("objection-email")).toHaveText(/•••@/);
    await expect(page.getByRole("button", { name: "Reveal personal data" })).toHaveCount(0);
    await expect(page.getByText(member.email)).toHaveCount(0);
    expect(await roleOf(db, SSO_USERS.viewer.email)).toBe("viewer");
  });

  test.describe("without JavaScript", () => {
    test.use({ javaScriptEnabled: false });

    test("the button is a form post that reaches the provider, and the sign-in completes", async ({ page }) => {
      await signInBySso(page, SSO_USERS.viewer.sub);
      await expectInConsole(page);
    });
  });

  test("a user in no mapped group lands on the no-access page: no session, no account, no violations, no sideways scroll at 375 px", async ({ page, db }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await signInBySso(page, SSO_USERS.outsider.sub);
    await expect(page).toHaveURL(/\/admin\/sign-in\/no-access$/);
    await expect(page.getByRole("heading", { level: 1, name: "You have no access to this console" })).toBeVisible();
    await expectNoViolations(page);
    expect(await horizontalOverflow(page)).toBe(0);
    await expectRefused(page, /\/admin\/sign-in\/no-access$/);
    expect(await roleOf(db, SSO_USERS.outsider.email)).toBeNull();
  });

  test("a user moved to another group at the provider gets the new role at the next sign-in, audited as a role change", async ({ page, browser, db }) => {
    const { mover } = SSO_USERS;
    await signInBySso(page, mover.sub);
    await expectInConsole(page);
    await expect(teamLink(page)).toHaveCount(0);
    expect(await roleOf(db, mover.email)).toBe("viewer");

    await setSsoUser(mover.sub, { groups: ["privacy-admins"] });
    try {
      // A fresh browser: the provider asks again who signs in, as after a sign-out.
      const context = await browser.newContext({ baseURL: ADMIN_BASE_URL });
      const again = await context.newPage();
      await signInBySso(again, mover.sub);
      await expectInConsole(again);
      await expect(teamLink(again)).toBeVisible();
      await context.close();
    } finally {
      await setSsoUser(mover.sub, { groups: [...mover.groups] });
    }
    expect(await roleOf(db, mover.email)).toBe("admin");
    const changes = await db.query<{ detail: Record<string, unknown> }>(`SELECT detail FROM "AuditEvent" WHERE action = 'role_change' AND detail->>'subject' = $1`, [mover.sub]);
    expect(changes.rows.map((row) => row.detail)).toContainEqual({ from: "viewer", to: "admin", subject: mover.sub, mappedRole: "admin" });
  });

  test("a callback whose state was tampered with is refused: the error page, no session, no console", async ({ page }) => {
    // page.route does not see a request reached through a server's redirect: the test signs in at
    // the provider itself, with the very authorization request the browser was sent, and opens the
    // provider's answer in the browser (which holds the console's state, PKCE and nonce cookies).
    const authorization = page.waitForRequest((request) => request.url().startsWith(`${E2E_OIDC_ISSUER}/auth?`));
    await startSso(page);
    const authorizationUrl = new URL((await authorization).url());
    const callback = await signInAtProvider({ authorizationUrl, login: SSO_USERS.admin.sub, redirectUri: REDIRECT_URI });
    expect(callback.searchParams.get("code")).toBeTruthy();
    callback.searchParams.set("state", `${callback.searchParams.get("state")}-forged`);
    await page.goto(callback.href);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoViolations(page);
    await expectRefused(page, /\/admin\/sign-in\/error/);
  });

  test("an ID token that carries another flow's nonce is refused: the error page, no session, no account", async ({ page, db }) => {
    // The provider issues this user's ID tokens with a nonce other than the one the console sent.
    await signInBySso(page, SSO_USERS.replayed.sub);
    await expectRefused(page, /\/admin\/sign-in\/error/);
    expect(await roleOf(db, SSO_USERS.replayed.email)).toBeNull();
  });
});
