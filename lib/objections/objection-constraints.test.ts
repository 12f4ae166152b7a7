import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { db } from "@/lib/db";

const createMember = async () => {
  const externalId = `test-${randomUUID()}`;
  return db().member.create({ data: { externalId, email: `${externalId}@example.eu`, country: "FR", birthDate: new Date("1985-02-03") } });
};

const createObjection = (member: { id: string; email: string }, status: "effective" | "withdrawn" = "effective") =>
  db().objection.create({
    data: {
      memberId: member.id,
      email: member.email,
      country: "FR",
      source: "direct",
      status,
      withdrawnAt: status === "withdrawn" ? new Date() : null,
    },
  });

afterAll(async () => {
  await db().$disconnect();
});

describe("ObjectionEvent is append-only", () => {
  const createEvent = async () => {
    const member = await createMember();
    const objection = await createObjection(member);
    return db().objectionEvent.create({ data: { objectionId: objection.id, type: "created", actorType: "member", actorId: member.id, detail: { source: "direct" } } });
  };

  it("refuses an UPDATE of an event", async () => {
    const event = await createEvent();
    await expect(db().objectionEvent.update({ where: { id: event.id }, data: { actorId: "someone-else" } })).rejects.toThrow(/append-only/);
    await expect(db().$executeRaw`UPDATE "ObjectionEvent" SET "type" = 'withdrawn' WHERE id = ${event.id}`).rejects.toThrow(/append-only/);
    expect(await db().objectionEvent.findUniqueOrThrow({ where: { id: event.id } })).toEqual(event);
  });

  it("refuses a DELETE of an event", async () => {
    const event = await createEvent();
    await expect(db().objectionEvent.delete({ where: { id: event.id } })).rejects.toThrow(/append-only/);
    await expect(db().$executeRaw`DELETE FROM "ObjectionEvent" WHERE id = ${event.id}`).rejects.toThrow(/append-only/);
    expect(await db().objectionEvent.findUnique({ where: { id: event.id } })).toEqual(event);
  });
});

describe("one live objection per member", () => {
  it("refuses a second effective objection for the same member", async () => {
    const member = await createMember();
    await createObjection(member);
    await expect(createObjection(member)).rejects.toMatchObject({ code: "P2002" });
    expect(await db().objection.count({ where: { memberId: member.id } })).toBe(1);
  });

  it("refuses to make a withdrawn objection effective again while another one is", async () => {
    const member = await createMember();
    const withdrawn = await createObjection(member, "withdrawn");
    await createObjection(member);
    await expect(db().objection.update({ where: { id: withdrawn.id }, data: { status: "effective", withdrawnAt: null } })).rejects.toMatchObject({ code: "P2002" });
  });

  it("allows a withdrawn objection next to an effective one", async () => {
    const member = await createMember();
    await createObjection(member, "withdrawn");
    await createObjection(member, "withdrawn");
    await createObjection(member);
    const stored = await db().objection.findMany({ where: { memberId: member.id } });
    expect(stored.map((objection) => objection.status).sort()).toEqual(["effective", "withdrawn", "withdrawn"]);
  });

  it("refuses a withdrawn objection without withdrawnAt, and an effective one with it", async () => {
    const member = await createMember();
    const base = { memberId: member.id, email: member.email, country: "FR", source: "direct" as const };
    await expect(db().objection.create({ data: { ...base, status: "withdrawn" } })).rejects.toThrow(/Objection_withdrawn_at/);
    await expect(db().objection.create({ data: { ...base, status: "effective", withdrawnAt: new Date() } })).rejects.toThrow(/Objection_withdrawn_at/);
    expect(await db().objection.count({ where: { memberId: member.id } })).toBe(0);
  });

  it("allows effective objections of different members, and imported unmatched ones of one address", async () => {
    const [first, second] = [await createMember(), await createMember()];
    await createObjection(first);
    await createObjection(second);
    const email = `test-${randomUUID()}@example.eu`;
    // An import may hold one address more than once; both rows stay until an admin matches them.
    const imported = { memberId: null, email, country: "FR", source: "prior" as const };
    await db().objection.create({ data: imported });
    await db().objection.create({ data: imported });
    expect(await db().objection.count({ where: { email } })).toBe(2);
  });

  it("refuses a second live objection made through an /object link for an address without an account", async () => {
    const email = `test-${randomUUID()}@example.eu`;
    const unmatched = { memberId: null, email, country: "FR", source: "direct" as const };
    await db().objection.create({ data: unmatched });
    await expect(db().objection.create({ data: unmatched })).rejects.toThrow(/Unique constraint/);
    // Once withdrawn, the address may object again.
    await db().objection.updateMany({ where: { email }, data: { status: "withdrawn", withdrawnAt: new Date() } });
    await db().objection.create({ data: unmatched });
    expect(await db().objection.count({ where: { email } })).toBe(2);
  });
});
