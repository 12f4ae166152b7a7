import { randomUUID } from "node:crypto";

import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ADMIN_PATHS } from "@/lib/auth/admin-paths";
import { handlers } from "@/lib/auth/auth";
import { hashSessionToken } from "@/lib/auth/hash-session-token";
import { db } from "@/lib/db";
import { TEST_ENV } from "@/test/test-env";
import { startOidcProvider, type TOidcProvider } from "@/test/oidc-provider";
import { SSO_CLIENT, SSO_REDIRECT_URI, SSO_ROLE_MAP, signInBySso } from "@/test/sso-sign-in";

// Single sign-on through Auth.js's own route handlers, against a real OpenID provider
// (oidc-provider, test/oidc-provider.ts): the code flow with PKCE, state and nonce, and what the
// console makes of the provider's groups.

const user = (name: string, groups: string[], emailVerified = true) => ({ sub: `${name}-${randomUUID()}`, email: `${name}-${randomUUID()}@staff.example.org`, emailVerified, name, groups });
const alice = user("alice", ["privacy-admins", "everyone"]);
const bob = user("bob", ["privacy-viewers"]);
const carol = user("carol", ["engineering"]);
const dave = user("dave", ["privacy-admins"], false);
const erin = user("erin", ["privacy-viewers"]);
const frank = { ...user("frank", ["privacy-reviewers"]), claimsInUserinfoOnly: true };
const gina = user("gina", ["privacy-viewers"]);

let provider: TOidcProvider;

beforeAll(async () => {
  provider = await startOidcProvider({ ...SSO_CLIENT, redirectUris: [SSO_REDIRECT_URI], users: [alice, bob, carol, dave, erin, frank, gina] });
  // Read once, at the first env(): set before any sign-in.
  Object.assign(process.env, {
    ADMIN_OIDC_ISSUER: provider.issuer,
    ADMIN_OIDC_CLIENT_ID: SSO_CLIENT.clientId,
    ADMIN_OIDC_CLIENT_SECRET: SSO_CLIENT.clientSecret,
    ADMIN_OIDC_ROLE_MAP: SSO_ROLE_MAP,
  });
});

afterAll(async () => {
  await provider?.stop();
  await db().$disconnect();
});

/** A browser's sign-in at the test provider; returns where the console sent it, and its session cookie. */
const signIn = (login: string, { tamper }: { tamper?: (callback: URL) => void } = {}) => signInBySso({ issuer: provider.issuer, login, tamper });

const adminByEmail = (email: string) => db().adminUser.findUnique({ where: { email } });
const auditOf = (subject: string) =>
  db().auditEvent.findMany({ where: { detail: { path: ["subject"], equals: subject } }, orderBy: { createdAt: "asc" }, select: { action: true, actorType: true, actorJob: true, detail: true } });

describe("single sign-on", () => {
  it("lets two first sign-ins of one user at once both in (two tabs): one admin, one linked account, two sessions", async () => {
    const results = await Promise.all([1, 2, 3].map(() => signIn(gina.sub)));
    expect(results.map((result) => result.location)).toEqual(["/admin", "/admin", "/admin"]);
    const admin = await adminByEmail(gina.email);
    expect(admin?.role).toBe("viewer");
    expect(await db().adminAccount.count({ where: { userId: admin!.id } })).toBe(1);
    expect(await db().adminSession.count({ where: { userId: admin!.id } })).toBe(3);
  });

  it("signs in a user of a mapped group with its role: session by sso, subject linked, audited with subject and mapped role", async () => {
    const { location, session } = await signIn(alice.sub);
    expect(location).toBe("/admin");
    const admin = await adminByEmail(alice.email);
    expect(admin?.role).toBe("admin");
    const stored = await db().adminSession.findUnique({ where: { sessionToken: hashSessionToken(session!) } });
    expect(stored).toMatchObject({ userId: admin!.id, method: "sso", ssoSubject: alice.sub, userAgent: "Mozilla/5.0 (test browser)" });
    expect(stored?.ssoRefreshToken).toMatch(/^v1\./);
    // Due two minutes early, so the worker's check comes within the 60 minutes whatever its lag.
    expect(stored?.ssoCheckAt?.getTime()).toBeGreaterThan(Date.now() + 57 * 60_000);
    expect(stored?.ssoCheckAt?.getTime()).toBeLessThanOrEqual(Date.now() + 58 * 60_000);
    expect(await db().adminAccount.findMany({ where: { userId: admin!.id }, select: { provider: true, providerAccountId: true } })).toEqual([{ provider: "oidc", providerAccountId: alice.sub }]);
    expect(await auditOf(alice.sub)).toEqual([{ action: "sign_in", actorType: "admin", actorJob: null, detail: { method: "sso", subject: alice.sub, mappedRole: "admin" } }]);
  });

  it("sends the redirect URI built from APP_URL, whatever host the request arrived on", async () => {
    // instrumentation.ts sets AUTH_URL from APP_URL in the running app; Auth.js then rebuilds every request's URL on it.
    const before = process.env.AUTH_URL;
    process.env.AUTH_URL = `${TEST_ENV.APP_URL}/api/auth`;
    try {
      const other = new URL(TEST_ENV.APP_URL);
      other.hostname = "127.0.0.1";
      const csrf = await handlers.GET(new NextRequest(`${other.origin}/api/auth/csrf`));
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const cookie = csrf.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
      const start = await handlers.POST(
        new NextRequest(`${other.origin}/api/auth/signin/oidc`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", cookie }, body: new URLSearchParams({ csrfToken }) }),
      );
      expect(new URL(start.headers.get("location")!).searchParams.get("redirect_uri")).toBe(`${TEST_ENV.APP_URL}/api/auth/callback/oidc`);
    } finally {
      if (before === undefined) delete process.env.AUTH_URL;
      else process.env.AUTH_URL = before;
    }
  });

  it("reads the groups and the address's verification from userinfo when the ID token lacks them", async () => {
    expect((await signIn(frank.sub)).location).toBe("/admin");
    expect((await adminByEmail(frank.email))?.role).toBe("reviewer");
  });

  it("refuses a user with no mapped group with the console's no-access page, creates no account, and audits the refusal", async () => {
    const { location, session } = await signIn(carol.sub);
    expect(location).toBe(ADMIN_PATHS.noAccess);
    expect(session).toBeUndefined();
    expect(await adminByEmail(carol.email)).toBeNull();
    expect(await auditOf(carol.sub)).toEqual([{ action: "sign_in_refused", actorType: "system", actorJob: "single-sign-on", detail: { subject: carol.sub, reason: "no_role", mappedRole: null } }]);
  });

  it("refuses an address the provider has not verified", async () => {
    const { location, session } = await signIn(dave.sub);
    expect(location).toBe(ADMIN_PATHS.noAccess);
    expect(session).toBeUndefined();
    expect(await adminByEmail(dave.email)).toBeNull();
    expect((await auditOf(dave.sub)).map(({ detail }) => detail)).toEqual([{ subject: dave.sub, reason: "email_not_verified", mappedRole: "admin" }]);
  });

  it("takes the role from the groups at every sign-in: moved to another group, the next sign-in changes it, audited; removed from all, refused", async () => {
    expect((await signIn(bob.sub)).location).toBe("/admin");
    expect((await adminByEmail(bob.email))?.role).toBe("viewer");
    provider.setUser(bob.sub, { groups: ["privacy-reviewers"] });
    expect((await signIn(bob.sub)).location).toBe("/admin");
    expect((await adminByEmail(bob.email))?.role).toBe("reviewer");
    provider.setUser(bob.sub, { groups: [] });
    expect((await signIn(bob.sub)).location).toBe(ADMIN_PATHS.noAccess);
    expect((await auditOf(bob.sub)).map(({ action, detail }) => ({ action, detail }))).toEqual([
      { action: "sign_in", detail: { method: "sso", subject: bob.sub, mappedRole: "viewer" } },
      { action: "role_change", detail: { from: "viewer", to: "reviewer", subject: bob.sub, mappedRole: "reviewer" } },
      { action: "sign_in", detail: { method: "sso", subject: bob.sub, mappedRole: "reviewer" } },
      { action: "sign_in_refused", detail: { subject: bob.sub, reason: "no_role", mappedRole: null } },
    ]);
  });

  it("gives an invited admin only the mapped role, and keeps out one whose access was removed", async () => {
    await db().adminUser.create({ data: { email: erin.email, role: "admin" } });
    expect((await signIn(erin.sub)).location).toBe("/admin");
    expect((await adminByEmail(erin.email))?.role).toBe("viewer");
    await db().adminUser.update({ where: { email: erin.email }, data: { disabledAt: new Date() } });
    expect((await signIn(erin.sub)).location).toBe(ADMIN_PATHS.noAccess);
    expect((await auditOf(erin.sub)).at(-1)?.detail).toEqual({ subject: erin.sub, reason: "access_removed", mappedRole: "viewer" });
  });

  it("refuses a callback whose state was tampered with: no session, no account", async () => {
    const sessionsBefore = await db().adminSession.count();
    const mallory = alice;
    const { location, session } = await signIn(mallory.sub, { tamper: (callback) => callback.searchParams.set("state", "forged-state") });
    expect(location).toBe(ADMIN_PATHS.signInError);
    expect(session).toBeUndefined();
    expect(await db().adminSession.count()).toBe(sessionsBefore);
  });
});
