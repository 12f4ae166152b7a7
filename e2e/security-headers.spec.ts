import { randomUUID } from "node:crypto";

import type { APIResponse, Page } from "@playwright/test";

import en from "../messages/en.json";
import { mintLinkToken } from "../lib/links/token";
import { createCampaign } from "../test/factories";
import { expect, test, type TTestMember } from "./fixtures";

const STATIC = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
};

test("every kind of response forbids framing, sniffing and the browser features it does not use", async ({ request, createMember }) => {
  const member = await createMember();
  const paths = ["/", "/object", member.path, "/o/not-a-token", "/s/not-a-token", "/admin/sign-in", "/api/health", "/favicon.ico"];
  for (const path of paths) {
    const response = await request.get(path, { maxRedirects: 0 });
    const headers = response.headers();
    expect(headers, path).toMatchObject(STATIC);
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(headers["permissions-policy"], path).toContain("camera=()");
    expect(headers["permissions-policy"], path).toContain("geolocation=()");
    // Tests run over http: HSTS is for https only (lib/security's unit test covers it).
    expect(headers["strict-transport-security"], path).toBeUndefined();
  }
});

/** An objection for the member, straight in the database, and the status link its receipt would carry. */
const statusPathFor = async (db: import("pg").Pool, member: TTestMember) => {
  const { rows } = await db.query<{ id: string }>(`INSERT INTO "Objection" ("memberId", "notificationId", "campaignId", email, country, source) VALUES ($1, $2, $3, $4, 'IE', 'email_link') RETURNING id`, [
    member.id,
    member.notificationId,
    member.campaignId,
    member.email,
  ]);
  const token = mintLinkToken({ subject: { kind: "objection", id: rows[0]!.id }, expiresAt: new Date(Date.now() + 86_400_000), secret: process.env.E2E_LINK_SECRET ?? "" });
  return `/s/${token}`;
};

/** The page's one Content-Security-Policy, and the script nonce it names, which every script and script preload of the page carries. */
const checkedNonce = async (response: APIResponse, path: string) => {
  const policies = response.headersArray().filter(({ name }) => name.toLowerCase() === "content-security-policy");
  expect(policies, `${path}: one policy`).toHaveLength(1);
  const policy = policies[0]!.value;
  const scriptSrc = policy.split("; ").find((directive) => directive.startsWith("script-src "));
  const nonce = scriptSrc?.match(/'nonce-([A-Za-z0-9_-]+)'/)?.[1];
  expect(nonce, `${path}: ${policy}`).toBeTruthy();
  expect(scriptSrc, path).toContain("'strict-dynamic'");
  expect(scriptSrc, path).not.toContain("'unsafe-inline'");
  expect(policy, path).toContain("frame-ancestors 'none'");
  expect(policy, path).toContain("object-src 'none'");

  const html = await response.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length, `${path}: scripts`).toBeGreaterThan(0);
  for (const script of scripts) expect(script, path).toContain(`nonce="${nonce}"`);
  // No other nonce anywhere: the personal link page, filled from a cached render, carries this response's.
  expect([...new Set(html.match(/nonce="[^"]*"/g))], path).toEqual([`nonce="${nonce}"`]);
  return nonce!;
};

test("every page's policy names a fresh script nonce, which each of its scripts carries", async ({ page, db, createMember, asAdmin }) => {
  const member = await createMember();
  const objected = await createMember();
  await asAdmin("viewer");
  const paths = [
    "/",
    "/object",
    // The personal link page, from the template, twice for one member
    member.path,
    `/o/${member.token.slice(0, 40)}`,
    "/o/invalid",
    await statusPathFor(db, objected),
    // The personal link page of someone who objected: rendered by the page itself
    objected.path,
    "/s/not-a-token",
    "/no-such-page",
    "/admin/sign-in",
    "/admin",
    "/admin/objections",
  ];
  for (const path of paths) {
    // The browser context's request: the admin's session cookie goes along.
    const first = await checkedNonce(await page.request.get(path), path);
    const second = await checkedNonce(await page.request.get(path), path);
    expect(second, path).not.toBe(first);
  }
});

test("pages reached by a token, and their invalid-link pages, send no Referer anywhere", async ({ request, db, createMember }) => {
  const member = await createMember();
  const objected = await createMember();
  for (const path of [member.path, objected.path, `/o/${member.token.slice(0, 40)}`, "/o/invalid", await statusPathFor(db, objected), "/s/not-a-token"]) {
    expect((await request.get(path)).headers()["referrer-policy"], path).toBe("no-referrer");
  }
  expect((await request.get("/object")).headers()["referrer-policy"]).toBe("same-origin");
});

// Under no-referrer a browser posts forms with "Origin: null": the forms on token pages post to route
// handlers, which accept it (a server action would answer 500).
for (const javaScriptEnabled of [true, false]) {
  test.describe(`under no-referrer, JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled });

    test("the personal link's form still posts", async ({ page, db, createMember }) => {
      const member = await createMember();
      const opened = await page.goto(member.path);
      expect(opened?.headers()["referrer-policy"]).toBe("no-referrer");
      await page.getByRole("button", { name: en.form.submit }).click();
      await expect(page.getByRole("heading", { level: 1, name: en.confirmation.title })).toBeVisible();
      expect((await db.query(`SELECT status FROM "Objection" WHERE "memberId" = $1`, [member.id])).rows).toEqual([{ status: "effective" }]);
    });
  });
}

// The friendly 404 comes whole in the HTML (proxy.ts serves it from a render), so it works without JavaScript too.
for (const javaScriptEnabled of [true, false]) {
  test.describe(`the invalid-link page, JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled });

    test("under no-referrer its request form still posts", async ({ page, createMember }) => {
      // A visitor of its own, so the request form's per-visitor limit is this test's alone.
      await page.setExtraHTTPHeaders({ "x-forwarded-for": `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 255)).join(".")}` });
      const member = await createMember();
      const invalid = await page.goto(`/o/${member.token.slice(0, 40)}`);
      expect(invalid?.status()).toBe(404);
      expect(invalid?.headers()["referrer-policy"]).toBe("no-referrer");
      await page.getByLabel(en.requestLink.email).fill(`nobody-${randomUUID()}@example.eu`);
      await page.getByRole("button", { name: en.requestLink.submit }).click();
      await expect(page).toHaveURL(/\/object\/sent$/);
      await expect(page.getByRole("heading", { level: 1, name: en.requestLink.sentTitle })).toBeVisible();
    });

    test("a status token on the form's path, a personal token on the status path, and garbage all get the whole friendly page", async ({ page, db, createMember }) => {
      const objected = await createMember();
      const statusPath = await statusPathFor(db, objected);
      for (const path of [`/o/${statusPath.slice("/s/".length)}`, `/s/${objected.token}`, "/s/not-a-token", "/o/invalid", "/s/invalid"]) {
        const response = await page.goto(path);
        expect(response?.status(), path).toBe(404);
        expect(await response?.text(), path).toContain(en.invalidLink.title);
        await expect(page.getByRole("heading", { level: 1, name: en.invalidLink.title }), path).toBeVisible();
      }
    });
  });
}

/** Collects what the browser refused under the page's policy: its console reports and securitypolicyviolation events. */
const watchPolicyViolations = async (page: Page) => {
  const reports: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) reports.push(`${page.url()}: ${message.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const seen = ((window as unknown as { __cspViolations?: string[] }).__cspViolations ??= []);
      seen.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return async () => {
    const events = await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
    return [...reports, ...events.map((event) => `${page.url()}: ${event}`)];
  };
};

test.describe("under the policy, nothing the app does is refused", () => {
  test("a personal link, its form submitted with JavaScript on, and the status page", async ({ page, db, createMember }) => {
    const violations = await watchPolicyViolations(page);
    const member = await createMember();
    await page.goto(member.path);
    // The first load carries no framework script, only the counter's inline one, under the nonce:
    // it runs (the counter follows the text) and the browser keeps the reason's length.
    await expect(page.getByLabel(en.form.reason)).toHaveAttribute("maxlength", "2000");
    await page.getByLabel(en.form.reason).fill("Not for training.");
    await expect(page.locator("#reason-counter")).toHaveText("17 of 2,000 characters");
    await page.getByRole("button", { name: en.form.submit }).click();
    await expect(page.getByRole("heading", { level: 1, name: en.confirmation.title })).toBeVisible();
    expect(await violations()).toEqual([]);

    const { rows } = await db.query<{ id: string }>(`SELECT id FROM "Objection" WHERE "memberId" = $1`, [member.id]);
    const token = mintLinkToken({ subject: { kind: "objection", id: rows[0]!.id }, expiresAt: new Date(Date.now() + 86_400_000), secret: process.env.E2E_LINK_SECRET ?? "" });
    await page.goto(`/s/${token}`);
    await expect(page.getByRole("heading", { level: 1, name: en.statusPage.titleEffective })).toBeVisible();
    expect(await violations()).toEqual([]);
    await page.goto("/o/invalid");
    await expect(page.getByRole("heading", { level: 1, name: en.invalidLink.title })).toBeVisible();
    expect(await violations()).toEqual([]);
    await page.goto("/object");
    await expect(page.getByRole("button", { name: en.requestLink.submit })).toBeVisible();
    expect(await violations()).toEqual([]);
  });

  test("the admin dashboard's charts and a campaign's email preview", async ({ page, db, asAdmin }) => {
    const violations = await watchPolicyViolations(page);
    await asAdmin("admin");
    await page.goto("/admin");
    await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
    const totals = page.getByRole("region", { name: "Totals" });
    await expect(totals.or(page.getByText("First figures are being computed"))).toBeVisible();
    // A chart drew (a bar of zero height is hidden, so the surface, not a bar, says so).
    if (await totals.isVisible()) await expect(page.locator(".recharts-surface").first()).toBeVisible();
    expect(await violations()).toEqual([]);

    const campaign = await createCampaign({ db, name: `e2e csp ${randomUUID()}`, channels: ["email", "in_app"], countries: ["LI"] });
    await page.goto(`/admin/campaigns/${campaign.id}`);
    const preview = page.getByTitle("Email preview in English");
    await expect(preview).toBeVisible();
    // The sandboxed srcdoc frame inherits the page's policy: the email still renders, styles and all.
    await expect(page.frameLocator('iframe[title="Email preview in English"]').getByText(en.emails.notice.heading)).toBeVisible();
    expect(await violations()).toEqual([]);
  });
});
