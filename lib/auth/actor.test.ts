import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { changeAdminRole } from "@/lib/admins/change-admin-role";
import { assertPlatformOrRole, assertRole, PLATFORM_ACTOR, systemActor, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { markObjectionSpam } from "@/lib/objections/admin/mark-objection-spam";
import { closePgPool, pgPool } from "@/lib/pg";
import { createAdmin, createMember } from "@/test/factories";

afterAll(async () => {
  await closePgPool();
  await db().$disconnect();
});

const member = { kind: "member", memberId: randomUUID() } as const satisfies TActor;

describe("what an actor may do", () => {
  it("assertRole lets an admin with the role through, and refuses every other kind as forbidden", () => {
    expect(() => assertRole({ kind: "admin", id: randomUUID(), role: "reviewer" }, "viewer")).not.toThrow();
    for (const actor of [PLATFORM_ACTOR, member, systemActor("objection-receipt"), { kind: "admin", id: randomUUID(), role: "viewer" } as const]) {
      expect(() => assertRole(actor, "reviewer")).toThrow(expect.objectContaining({ code: "forbidden" }));
    }
  });

  it("assertPlatformOrRole lets the platform and an admin with the role through, and refuses a lower role, a member or a job", () => {
    expect(() => assertPlatformOrRole(PLATFORM_ACTOR, "admin")).not.toThrow();
    expect(() => assertPlatformOrRole({ kind: "admin", id: randomUUID(), role: "admin" }, "admin")).not.toThrow();
    for (const actor of [{ kind: "admin", id: randomUUID(), role: "reviewer" } as const, member, systemActor("campaign-batch")]) {
      expect(() => assertPlatformOrRole(actor, "admin")).toThrow(AppError);
    }
  });

  it("the platform is refused by an admin-only command, and nothing changes", async () => {
    const target = await createAdmin({ db: pgPool(), role: "viewer" });
    await expect(changeAdminRole({ actor: PLATFORM_ACTOR, change: { adminId: target.id, role: "admin" } })).rejects.toMatchObject({ code: "forbidden" });
    expect((await db().adminUser.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("viewer");
    expect(await db().auditEvent.count({ where: { targetId: target.id } })).toBe(0);
  });

  it("a member is refused by an admin command, and nothing changes", async () => {
    const owner = await createMember({ db: pgPool() });
    const objection = await db().objection.create({ data: { memberId: owner.id, email: owner.email, country: "IE", source: "direct", status: "effective" } });
    await expect(markObjectionSpam({ actor: { kind: "member", memberId: owner.id }, objectionId: objection.id })).rejects.toMatchObject({ code: "forbidden" });
    expect((await db().objection.findUniqueOrThrow({ where: { id: objection.id } })).status).toBe("effective");
    expect(await db().objectionEvent.count({ where: { objectionId: objection.id } })).toBe(0);
  });
});
