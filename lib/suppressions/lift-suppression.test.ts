import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { AppError } from "@/lib/errors/app-error";
import { db } from "@/lib/db";
import { closePgPool, pgPool } from "@/lib/pg";
import { liftSuppression } from "@/lib/suppressions/lift-suppression";
import { createAdmin } from "@/test/factories";

afterAll(async () => {
  await closePgPool();
  await db().$disconnect();
});

const suppressedMember = async (reason: "hard_bounce" | "complaint" | "unsubscribe") => {
  const externalId = `lift-${randomUUID()}`;
  const member = await db().member.create({ data: { externalId, email: `${externalId}@example.eu`, country: "DE", birthDate: new Date("1980-01-01") } });
  await db().emailSuppression.create({ data: { memberId: member.id, reason } });
  return member.id;
};

const codeOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => (error instanceof AppError ? error.code : error));

describe("lifting a suppression", () => {
  it("lifts it for a reviewer with a reason, and audits what was lifted and why, in one transaction", async () => {
    const [reviewer, memberId] = await Promise.all([createAdmin({ db: pgPool(), role: "reviewer" }), suppressedMember("hard_bounce")]);
    await liftSuppression({ actor: reviewer, lift: { memberId, reason: "sending_side_fault" } });
    expect(await db().emailSuppression.findUnique({ where: { memberId } })).toBeNull();
    const events = await db().auditEvent.findMany({ where: { targetId: memberId } });
    expect(events).toEqual([
      expect.objectContaining({ actorId: reviewer.id, action: "suppression_lift", targetType: "member", detail: expect.objectContaining({ suppression: "hard_bounce", reason: "sending_side_fault" }) }),
    ]);
  });

  it("refuses a viewer, and a second lift, and changes nothing", async () => {
    const [viewer, reviewer, memberId] = await Promise.all([createAdmin({ db: pgPool(), role: "viewer" }), createAdmin({ db: pgPool(), role: "reviewer" }), suppressedMember("hard_bounce")]);
    expect(await codeOf(liftSuppression({ actor: viewer, lift: { memberId, reason: "recorded_by_mistake" } }))).toBe("forbidden");
    expect(await db().emailSuppression.findUnique({ where: { memberId } })).not.toBeNull();
    await liftSuppression({ actor: reviewer, lift: { memberId, reason: "recorded_by_mistake" } });
    expect(await codeOf(liftSuppression({ actor: reviewer, lift: { memberId, reason: "recorded_by_mistake" } }))).toBe("conflict");
    expect(await db().auditEvent.count({ where: { targetId: memberId } })).toBe(1);
  });

  it("lifts a member's own stop (unsubscribe, complaint) only when the member asked", async () => {
    const reviewer = await createAdmin({ db: pgPool(), role: "reviewer" });
    for (const reason of ["unsubscribe", "complaint"] as const) {
      const memberId = await suppressedMember(reason);
      expect(await codeOf(liftSuppression({ actor: reviewer, lift: { memberId, reason: "sending_side_fault" } }))).toBe("conflict");
      expect(await db().emailSuppression.findUnique({ where: { memberId } })).not.toBeNull();
      await liftSuppression({ actor: reviewer, lift: { memberId, reason: "member_asked" } });
      expect(await db().emailSuppression.findUnique({ where: { memberId } })).toBeNull();
    }
  });
});
