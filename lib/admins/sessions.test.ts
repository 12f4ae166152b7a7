import { randomBytes, randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { endAllSessionsOf } from "@/lib/admins/end-all-sessions-of";
import { endOwnSession } from "@/lib/admins/end-own-session";
import { listOwnSessions } from "@/lib/admins/list-own-sessions";
import { sessionDevice } from "@/lib/admins/session-device";
import { hashSessionToken } from "@/lib/auth/hash-session-token";
import { db } from "@/lib/db";
import type { AdminSignInMethod } from "@/lib/generated/prisma/enums";
import { closePgPool, pgPool } from "@/lib/pg";
import { createAdmin, type TTestAdmin } from "@/test/factories";
import { rejects } from "@/test/app-error";

afterAll(async () => {
  await closePgPool();
  await db().$disconnect();
});

const MAC_CHROME = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const IPHONE_SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

/** A session as Auth.js's adapter stores it; resolves to its id and the cookie's value. */
const sessionOf = async (admin: TTestAdmin, { method = "email", userAgent = null, createdAt = new Date(), expires = new Date(Date.now() + 3_600_000) }: { method?: AdminSignInMethod; userAgent?: string | null; createdAt?: Date; expires?: Date } = {}) => {
  const token = randomBytes(32).toString("hex");
  const { id } = await db().adminSession.create({ data: { sessionToken: hashSessionToken(token), userId: admin.id, method, userAgent, createdAt, expires }, select: { id: true } });
  return { id, token };
};


const auditOf = (actorId: string, action: "session_end" | "sessions_end_all") =>
  db().auditEvent.findMany({ where: { actorId, action }, orderBy: { id: "asc" }, select: { targetType: true, targetId: true, detail: true } });

describe("sessionDevice", () => {
  it("names the browser and the system, and says plainly when it cannot", () => {
    expect(sessionDevice(MAC_CHROME)).toBe("Chrome on macOS");
    expect(sessionDevice(IPHONE_SAFARI)).toBe("Safari on iOS");
    expect(sessionDevice(null)).toBe("Unknown browser");
    expect(sessionDevice("curl/8.0")).toBe("Unknown browser");
  });
});

describe("listOwnSessions", () => {
  it("lists the actor's live sessions, newest first, marks this browser's, and shows no one else's nor an expired one", async () => {
    const viewer = await createAdmin({ db: pgPool(), role: "viewer" });
    const other = await createAdmin({ db: pgPool(), role: "viewer" });
    const older = await sessionOf(viewer, { method: "sso", userAgent: IPHONE_SAFARI, createdAt: new Date(Date.now() - 3_600_000) });
    const current = await sessionOf(viewer, { userAgent: MAC_CHROME });
    await sessionOf(viewer, { expires: new Date(Date.now() - 1000) });
    await sessionOf(other);

    const sessions = await listOwnSessions({ actor: viewer, currentSessionToken: current.token });

    expect(sessions.map(({ id, method, device, isCurrent }) => ({ id, method, device, isCurrent }))).toEqual([
      { id: current.id, method: "email", device: "Chrome on macOS", isCurrent: true },
      { id: older.id, method: "sso", device: "Safari on iOS", isCurrent: false },
    ]);
    expect(JSON.stringify(sessions)).not.toContain(hashSessionToken(current.token));
    expect((await listOwnSessions({ actor: viewer, currentSessionToken: null })).some((session) => session.isCurrent)).toBe(false);
  });

  it("refuses an actor who is not an admin", async () => {
    await rejects(listOwnSessions({ actor: { kind: "platform" }, currentSessionToken: null }), "forbidden");
  });
});

describe("endOwnSession", () => {
  it("ends one of the actor's own sessions, audited with how it began, and says whether it was this browser's", async () => {
    const viewer = await createAdmin({ db: pgPool(), role: "viewer" });
    const phone = await sessionOf(viewer, { method: "sso", userAgent: IPHONE_SAFARI });
    const here = await sessionOf(viewer, { userAgent: MAC_CHROME });

    expect(await endOwnSession({ actor: viewer, sessionId: phone.id, currentSessionToken: here.token })).toEqual({ method: "sso", current: false });
    expect(await db().adminSession.count({ where: { id: phone.id } })).toBe(0);
    expect(await endOwnSession({ actor: viewer, sessionId: here.id, currentSessionToken: here.token })).toEqual({ method: "email", current: true });

    expect(await auditOf(viewer.id, "session_end")).toEqual([
      { targetType: "admin", targetId: viewer.id, detail: { method: "sso" } },
      { targetType: "admin", targetId: viewer.id, detail: { method: "email" } },
    ]);
  });

  it("refuses someone else's session with a 404, whatever the role, and leaves it and the audit log alone", async () => {
    const owner = await createAdmin({ db: pgPool(), role: "viewer" });
    const theirs = await sessionOf(owner);
    for (const role of ["viewer", "admin"] as const) {
      const stranger = await createAdmin({ db: pgPool(), role });
      const error = await rejects(endOwnSession({ actor: stranger, sessionId: theirs.id }), "not_found");
      expect(error.status).toBe(404);
      expect(await auditOf(stranger.id, "session_end")).toEqual([]);
    }
    expect(await db().adminSession.count({ where: { id: theirs.id } })).toBe(1);
    await rejects(endOwnSession({ actor: owner, sessionId: randomUUID() }), "not_found");
    await rejects(endOwnSession({ actor: owner, sessionId: "not-a-uuid" }), "not_found");
  });
});

describe("endAllSessionsOf", () => {
  it("lets an admin end every session of another admin, audited with how many", async () => {
    const admin = await createAdmin({ db: pgPool(), role: "admin" });
    const reviewer = await createAdmin({ db: pgPool(), role: "reviewer" });
    const bystander = await createAdmin({ db: pgPool(), role: "viewer" });
    await sessionOf(reviewer);
    await sessionOf(reviewer, { method: "sso" });
    await sessionOf(reviewer, { method: "break_glass" });
    await sessionOf(bystander);

    expect(await endAllSessionsOf({ actor: admin, adminId: reviewer.id })).toEqual({ count: 3 });

    expect(await db().adminSession.count({ where: { userId: reviewer.id } })).toBe(0);
    expect(await db().adminSession.count({ where: { userId: bystander.id } })).toBe(1);
    expect(await db().adminUser.findUniqueOrThrow({ where: { id: reviewer.id }, select: { disabledAt: true } })).toEqual({ disabledAt: null });
    expect(await auditOf(admin.id, "sessions_end_all")).toEqual([{ targetType: "admin", targetId: reviewer.id, detail: { count: 3 } }]);
    expect(await endAllSessionsOf({ actor: admin, adminId: reviewer.id })).toEqual({ count: 0 });
  });

  it("refuses a viewer or a reviewer (403), oneself (409) and an unknown admin (404)", async () => {
    const target = await createAdmin({ db: pgPool(), role: "viewer" });
    const targetSession = await sessionOf(target);
    for (const role of ["viewer", "reviewer"] as const) {
      const actor = await createAdmin({ db: pgPool(), role });
      expect((await rejects(endAllSessionsOf({ actor, adminId: target.id }), "forbidden")).status).toBe(403);
      // Nor can a viewer reach another's session through the one-by-one command.
      await rejects(endOwnSession({ actor, sessionId: targetSession.id }), "not_found");
    }
    const admin = await createAdmin({ db: pgPool(), role: "admin" });
    await sessionOf(admin);
    expect((await rejects(endAllSessionsOf({ actor: admin, adminId: admin.id }), "conflict")).status).toBe(409);
    await rejects(endAllSessionsOf({ actor: admin, adminId: randomUUID() }), "not_found");
    expect(await db().adminSession.count({ where: { userId: { in: [target.id, admin.id] } } })).toBe(2);
    expect(await auditOf(admin.id, "sessions_end_all")).toEqual([]);
  });
});
