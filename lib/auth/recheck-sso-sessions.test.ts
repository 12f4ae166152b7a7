import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { hashSessionToken } from "@/lib/auth/hash-session-token";
import { CLAIM_DUE_SSO_SESSIONS_SQL, type TDueSsoSessionRow } from "@/lib/auth/recheck-sso-sessions-sql";
import { recheckSsoSessions } from "@/lib/auth/recheck-sso-sessions";
import { openSsoToken, sealSsoToken } from "@/lib/auth/sso-token-box";
import { db } from "@/lib/db";
import { closePgPool, pgPool } from "@/lib/pg";
import { startOidcProvider, type TOidcProvider, type TOidcUser } from "@/test/oidc-provider";
import { SSO_CLIENT, SSO_REDIRECT_URI, SSO_ROLE_MAP, signInBySso } from "@/test/sso-sign-in";

// The worker's check of single sign-on sessions, against a real OpenID provider: sessions made
// by real sign-ins through Auth.js's handlers, each with the provider's own refresh token.

const user = (name: string, groups: string[]): TOidcUser => ({ sub: `${name}-${randomUUID()}`, email: `${name}-${randomUUID()}@staff.example.org`, emailVerified: true, name, groups });
const bob = user("bob", ["privacy-viewers"]);
const carol = user("carol", ["privacy-viewers"]);
const dave = user("dave", ["privacy-admins"]);
const erin = user("erin", ["privacy-viewers"]);
const frank = user("frank", ["privacy-viewers"]);
const grace = user("grace", ["privacy-reviewers"]);
const hank = user("hank", ["privacy-viewers"]);
const ivy = { ...user("ivy", ["privacy-viewers"]), rotateRefreshToken: true };

let provider: TOidcProvider;
let providerStopped = false;

beforeAll(async () => {
  provider = await startOidcProvider({ ...SSO_CLIENT, redirectUris: [SSO_REDIRECT_URI], users: [bob, carol, dave, erin, frank, grace, hank, ivy] });
  // Read once, at the first env(): set before any sign-in.
  Object.assign(process.env, { ADMIN_OIDC_ISSUER: provider.issuer, ADMIN_OIDC_CLIENT_ID: SSO_CLIENT.clientId, ADMIN_OIDC_CLIENT_SECRET: SSO_CLIENT.clientSecret, ADMIN_OIDC_ROLE_MAP: SSO_ROLE_MAP });
});

afterAll(async () => {
  if (!providerStopped) await provider?.stop();
  await db().$disconnect();
  await closePgPool();
});

/** A real sign-in; the session row it made. */
const signedIn = async (who: TOidcUser) => {
  const { location, session } = await signInBySso({ issuer: provider.issuer, login: who.sub });
  expect(location).toBe("/admin");
  return (await db().adminSession.findUnique({ where: { sessionToken: hashSessionToken(session!) } }))!;
};
const makeDue = (id: string) => db().adminSession.update({ where: { id }, data: { ssoCheckAt: new Date(Date.now() - 60_000) } });
const sessionById = (id: string) => db().adminSession.findUnique({ where: { id } });
const adminOf = (who: TOidcUser) => db().adminUser.findUniqueOrThrow({ where: { email: who.email } });
const checkAuditOf = (who: TOidcUser) =>
  db().auditEvent.findMany({
    where: { action: { in: ["sso_session_ended", "role_change"] }, detail: { path: ["subject"], equals: who.sub } },
    orderBy: { id: "asc" },
    select: { action: true, actorType: true, actorJob: true, targetType: true, targetId: true, detail: true },
  });
const MINUTE = 60_000;

describe("the single sign-on session check", () => {
  it("ends the session of a user the provider moved out of every mapped group, audited with subject, reason and mapped role", async () => {
    const session = await signedIn(bob);
    provider.setUser(bob.sub, { groups: ["engineering"] });
    await makeDue(session.id);
    const tally = await recheckSsoSessions();
    expect(tally).toMatchObject({ ended: 1, deferred: 0 });
    expect(await sessionById(session.id)).toBeNull();
    const admin = await adminOf(bob);
    expect(await checkAuditOf(bob)).toEqual([
      { action: "sso_session_ended", actorType: "system", actorJob: "single-sign-on", targetType: "admin", targetId: admin.id, detail: { subject: bob.sub, reason: "no_role", mappedRole: null } },
    ]);
  });

  it("changes the role of a user moved to another mapped group, audited as a sign-in does, keeps the session and checks it again an interval later", async () => {
    const session = await signedIn(carol);
    provider.setUser(carol.sub, { groups: ["privacy-reviewers"] });
    await makeDue(session.id);
    expect(await recheckSsoSessions()).toMatchObject({ role_changed: 1, ended: 0 });
    const kept = await sessionById(session.id);
    expect(kept?.ssoCheckAt?.getTime()).toBeGreaterThan(Date.now() + 57 * MINUTE);
    expect(kept?.ssoCheckAt?.getTime()).toBeLessThanOrEqual(Date.now() + 58 * MINUTE);
    // The provider issued no new refresh token: the sealed one is kept as it was.
    expect(kept?.ssoRefreshToken).toBe(session.ssoRefreshToken);
    const admin = await adminOf(carol);
    expect(admin.role).toBe("reviewer");
    expect(await checkAuditOf(carol)).toEqual([
      { action: "role_change", actorType: "system", actorJob: "single-sign-on", targetType: "admin", targetId: admin.id, detail: { from: "viewer", to: "reviewer", subject: carol.sub, mappedRole: "reviewer" } },
    ]);
    // Checked: not due again, so a second run leaves it alone.
    expect(await recheckSsoSessions()).toMatchObject({ kept: 0, role_changed: 0, ended: 0 });
  });

  it("reads the groups from userinfo when the refreshed ID token carries none, as a sign-in does", async () => {
    const session = await signedIn(hank);
    // Without userinfo the check would see no groups, no role, and end the session.
    provider.setUser(hank.sub, { groups: ["privacy-admins"], claimsInUserinfoOnly: true });
    await makeDue(session.id);
    expect(await recheckSsoSessions()).toMatchObject({ role_changed: 1, ended: 0 });
    expect(await sessionById(session.id)).not.toBeNull();
    expect((await adminOf(hank)).role).toBe("admin");
  });

  it("keeps the refresh token a provider rotates, so the next check asks with the new one", async () => {
    const session = await signedIn(ivy);
    await makeDue(session.id);
    expect(await recheckSsoSessions()).toMatchObject({ kept: 1, ended: 0 });
    const rotated = (await sessionById(session.id))!.ssoRefreshToken!;
    expect(openSsoToken(rotated)).not.toBe(openSsoToken(session.ssoRefreshToken!));
    // The old token is spent: had the check kept it, the provider would refuse this one.
    await makeDue(session.id);
    expect(await recheckSsoSessions()).toMatchObject({ kept: 1, ended: 0 });
    expect(await sessionById(session.id)).not.toBeNull();
  });

  it("ends sessions whose refresh token the provider refuses, cannot be opened or was never issued, and those of an admin whose access was removed", async () => {
    const refused = await signedIn(dave);
    const unreadable = await signedIn(dave);
    const none = await signedIn(dave);
    const unchanged = await signedIn(erin);
    await db().adminSession.update({ where: { id: refused.id }, data: { ssoRefreshToken: sealSsoToken("a-refresh-token-the-provider-never-issued") } });
    await db().adminSession.update({ where: { id: unreadable.id }, data: { ssoRefreshToken: "v1.not.a.box" } });
    await db().adminSession.update({ where: { id: none.id }, data: { ssoRefreshToken: null } });
    for (const { id } of [refused, unreadable, none, unchanged]) await makeDue(id);
    expect(await recheckSsoSessions()).toMatchObject({ ended: 3, kept: 1 });
    expect(await db().adminSession.count({ where: { id: { in: [refused.id, unreadable.id, none.id] } } })).toBe(0);
    expect(await sessionById(unchanged.id)).not.toBeNull();
    const reasons = (await checkAuditOf(dave)).map(({ detail }) => (detail as { reason: string }).reason);
    expect(reasons.sort()).toEqual(["no_refresh_token", "refresh_refused", "token_unreadable"]);

    await db().adminUser.update({ where: { email: erin.email }, data: { disabledAt: new Date() } });
    await makeDue(unchanged.id);
    expect(await recheckSsoSessions()).toMatchObject({ ended: 1 });
    expect((await checkAuditOf(erin)).map(({ detail }) => detail)).toEqual([{ subject: erin.sub, reason: "access_removed", mappedRole: null }]);
  });

  it("leaves sessions that are not due yet as they are, whatever the provider says now", async () => {
    const session = await signedIn(grace);
    provider.setUser(grace.sub, { groups: [] });
    expect(await recheckSsoSessions()).toMatchObject({ ended: 0, kept: 0 });
    expect(await sessionById(session.id)).toEqual(session);
    provider.setUser(grace.sub, { groups: ["privacy-reviewers"] });
  });

  it("claims each due session once however many checks run at once", async () => {
    const admin = await adminOf(grace);
    const ids = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const row = await db().adminSession.create({
          data: { sessionToken: randomUUID(), userId: admin.id, expires: new Date(Date.now() + 60 * MINUTE), method: "sso", ssoSubject: grace.sub, ssoCheckAt: new Date(Date.now() - MINUTE) },
        });
        return row.id;
      }),
    );
    // The claim itself, twice at once, in batches smaller than the due set.
    const claims = await Promise.all([1, 2, 3].map(() => pgPool().query<TDueSsoSessionRow>(CLAIM_DUE_SSO_SESSIONS_SQL, [12, 60])));
    const claimed = claims.flatMap(({ rows }) => rows.map((row) => row.id));
    expect(claimed).toHaveLength(30);
    expect(new Set(claimed)).toEqual(new Set(ids));
    expect(claims.flatMap(({ rows }) => rows).every((row) => row.role === admin.role && row.disabledAt === null)).toBe(true);
    await db().adminSession.deleteMany({ where: { id: { in: ids } } });

    // Whole checks at once: frank's two sessions and his move to reviewers give one role change, and each session one check.
    const sessions = [await signedIn(frank), await signedIn(frank)];
    provider.setUser(frank.sub, { groups: ["privacy-reviewers"] });
    for (const { id } of sessions) await makeDue(id);
    const tallies = await Promise.all([recheckSsoSessions(), recheckSsoSessions(), recheckSsoSessions()]);
    const total = tallies.reduce((sum, tally) => sum + tally.kept + tally.role_changed + tally.ended + tally.deferred, 0);
    expect(total).toBe(2);
    expect((await checkAuditOf(frank)).map(({ action }) => action)).toEqual(["role_change"]);
    expect(await db().adminSession.count({ where: { id: { in: sessions.map(({ id }) => id) } } })).toBe(2);
  });

  it("stops a run at its deadline and leaves the rest of its claim to be asked about a minute later", async () => {
    const admin = await adminOf(grace);
    const ids = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const data = { sessionToken: randomUUID(), userId: admin.id, expires: new Date(Date.now() + 60 * MINUTE), method: "sso" as const, ssoSubject: `deadline-${randomUUID()}`, ssoCheckAt: new Date(Date.now() - MINUTE) };
        return (await db().adminSession.create({ data: { ...data, ssoRefreshToken: sealSsoToken("a-refresh-token-the-provider-never-issued") } })).id;
      }),
    );
    // The first round (4 at once) is checked: refused, so ended; the other 2 wait for the next run.
    expect(await recheckSsoSessions({ budgetMs: 0 })).toMatchObject({ ended: 4, deferred: 2 });
    const left = await db().adminSession.findMany({ where: { id: { in: ids } } });
    expect(left).toHaveLength(2);
    for (const { ssoCheckAt } of left) expect(ssoCheckAt!.getTime()).toBeLessThanOrEqual(Date.now() + 2 * MINUTE);
    await db().adminSession.deleteMany({ where: { id: { in: ids } } });
  });

  // Last: the provider stays down.
  it("ends nothing while the provider cannot be reached, and asks again a minute later", async () => {
    const session = await signedIn(grace);
    provider.setUser(grace.sub, { groups: [] });
    await makeDue(session.id);
    await provider.stop();
    providerStopped = true;
    const before = Date.now();
    expect(await recheckSsoSessions()).toMatchObject({ deferred: 1, ended: 0 });
    const kept = await sessionById(session.id);
    expect(kept).not.toBeNull();
    expect(kept!.ssoCheckAt!.getTime()).toBeGreaterThanOrEqual(before + 50_000);
    expect(kept!.ssoCheckAt!.getTime()).toBeLessThanOrEqual(Date.now() + 2 * MINUTE);
    expect(await checkAuditOf(grace)).toEqual([]);
  });
});
