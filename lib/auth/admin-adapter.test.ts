import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { adminAdapter } from "@/lib/auth/admin-adapter";
import { hashSessionToken } from "@/lib/auth/hash-session-token";
import { db } from "@/lib/db";
import { TEST_ENV } from "@/test/test-env";

const adapter = adminAdapter();

afterAll(async () => {
  await db().$disconnect();
});

const uniqueEmail = () => `admin-${randomUUID()}@objection.test`;

describe("the admin adapter", () => {
  it("creates an address in ADMIN_EMAILS as admin, normalised", async () => {
    const bootstrap = TEST_ENV.ADMIN_EMAILS;
    await db().adminUser.deleteMany({ where: { email: bootstrap } });
    const user = await adapter.createUser!({ id: randomUUID(), email: ` ${bootstrap.toUpperCase()} `, emailVerified: new Date() });
    const stored = await db().adminUser.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored).toMatchObject({ email: bootstrap, role: "admin" });
  });

  it("creates any other address as a viewer, never an admin", async () => {
    const user = await adapter.createUser!({ id: randomUUID(), email: uniqueEmail(), emailVerified: null });
    expect((await db().adminUser.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("viewer");
  });

  it("stores a hash of the session token, finds the session by the token, and returns it on delete for the audit trail", async () => {
    const user = await db().adminUser.create({ data: { email: uniqueEmail(), role: "reviewer" } });
    const sessionToken = randomUUID();
    const expires = new Date(Date.now() + 3_600_000);
    await adapter.createSession!({ sessionToken, userId: user.id, expires });

    expect(await db().adminSession.count({ where: { sessionToken } })).toBe(0);
    expect(await db().adminSession.count({ where: { sessionToken: hashSessionToken(sessionToken) } })).toBe(1);
    expect((await adapter.getSessionAndUser!(sessionToken))?.user.id).toBe(user.id);

    expect(await adapter.deleteSession!(sessionToken)).toMatchObject({ userId: user.id });
    expect(await adapter.getSessionAndUser!(sessionToken)).toBeNull();
  });

  it("gives a removed admin no session and no user", async () => {
    const user = await db().adminUser.create({ data: { email: uniqueEmail(), role: "admin", disabledAt: new Date() } });
    const sessionToken = randomUUID();
    await adapter.createSession!({ sessionToken, userId: user.id, expires: new Date(Date.now() + 3_600_000) });
    expect(await adapter.getSessionAndUser!(sessionToken)).toBeNull();
    expect(await adapter.getUserByEmail!(user.email)).toBeNull();
  });

  it("uses a sign-in token once, by the token alone", async () => {
    const token = randomUUID();
    await adapter.createVerificationToken!({ identifier: uniqueEmail(), token, expires: new Date(Date.now() + 600_000) });
    expect(await adapter.useVerificationToken!({ identifier: undefined as unknown as string, token })).toMatchObject({ token });
    expect(await adapter.useVerificationToken!({ identifier: undefined as unknown as string, token })).toBeNull();
  });
});

describe("the audit trail", () => {
  it("refuses to change or delete an event", async () => {
    const actor = await db().adminUser.create({ data: { email: uniqueEmail(), role: "admin" } });
    const event = await db().auditEvent.create({ data: { actorType: "admin", actorId: actor.id, action: "reveal", targetType: "objection", targetId: randomUUID() } });
    await expect(db().auditEvent.update({ where: { id: event.id }, data: { action: "sign_in" } })).rejects.toThrow(/append-only/);
    await expect(db().auditEvent.delete({ where: { id: event.id } })).rejects.toThrow(/append-only/);
    await expect(db().$executeRawUnsafe(`TRUNCATE "AuditEvent" CASCADE`)).rejects.toThrow(/append-only/);
  });
});
