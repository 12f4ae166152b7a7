import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { PLATFORM_ACTOR, systemActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import type { AuditTarget } from "@/lib/generated/prisma/enums";
import { closePgPool, inTransaction, pgPool } from "@/lib/pg";
import { createAdmin as createAdminRow } from "@/test/factories";

afterAll(async () => {
  await closePgPool();
  await db().$disconnect();
});

const createAdmin = () => createAdminRow({ db: pgPool(), role: "admin" });

const eventsFor = async (actorId: string) =>
  (await pgPool().query(`SELECT "actorType"::text AS "actorType", action::text AS action, "targetType"::text AS "targetType", "targetId", detail FROM "AuditEvent" WHERE "actorId" = $1 ORDER BY id`, [actorId])).rows;

class RolledBack extends Error {}

const rollBack = async (work: () => Promise<unknown>) => {
  await expect(work()).rejects.toBeInstanceOf(RolledBack);
};

describe("the one audit recorder", () => {
  it("writes the same event on a Prisma transaction and on a pg client", async () => {
    const actor = await createAdmin();
    const [viaPrisma, viaPg] = [randomUUID(), randomUUID()];
    await db().$transaction((tx) => recordAuditEvent(tx, { actor, action: "reveal", target: { type: "objection", id: viaPrisma }, detail: { found: 2 } }));
    await inTransaction((client) => recordAuditEvent(client, { actor, action: "campaign_launch", target: { type: "campaign", id: viaPg }, detail: { found: 2 } }));

    expect(await eventsFor(actor.id)).toEqual([
      { actorType: "admin", action: "reveal", targetType: "objection", targetId: viaPrisma, detail: { found: 2 } },
      { actorType: "admin", action: "campaign_launch", targetType: "campaign", targetId: viaPg, detail: { found: 2 } },
    ]);
  });

  it("names the platform by its kind alone and the system by the job that acted; an admin's event cannot lose its admin", async () => {
    const [byPlatform, bySystem] = [randomUUID(), randomUUID()];
    await recordAuditEvent(pgPool(), { actor: PLATFORM_ACTOR, action: "campaign_launch", target: { type: "campaign", id: byPlatform } });
    await recordAuditEvent(pgPool(), { actor: systemActor("campaign-failed"), action: "campaign_launch", target: { type: "campaign", id: bySystem } });
    const { rows } = await pgPool().query(`SELECT "targetId", "actorType"::text AS "actorType", "actorId", "actorJob" FROM "AuditEvent" WHERE "targetId" = ANY($1) ORDER BY id`, [[byPlatform, bySystem]]);
    expect(rows).toEqual([
      { targetId: byPlatform, actorType: "platform", actorId: null, actorJob: null },
      { targetId: bySystem, actorType: "system", actorId: null, actorJob: "campaign-failed" },
    ]);
    await expect(pgPool().query(`INSERT INTO "AuditEvent" ("actorType", action) VALUES ('admin', 'sign_in')`)).rejects.toThrow(/AuditEvent_actor_columns/);
  });

  it("rolls its event back with a Prisma transaction that fails", async () => {
    const actor = await createAdmin();
    await rollBack(() =>
      db().$transaction(async (tx) => {
        await recordAuditEvent(tx, { actor, action: "reveal" });
        throw new RolledBack();
      }),
    );
    expect(await eventsFor(actor.id)).toEqual([]);
  });

  it("rolls its event back with a pg transaction that fails", async () => {
    const actor = await createAdmin();
    await rollBack(() =>
      inTransaction(async (client) => {
        await recordAuditEvent(client, { actor, action: "reveal" });
        throw new RolledBack();
      }),
    );
    expect(await eventsFor(actor.id)).toEqual([]);
  });

  it("records the actor's columns: the platform has no id", async () => {
    const target = { type: "campaign" as const, id: randomUUID() };
    await recordAuditEvent(pgPool(), { actor: { kind: "platform" }, action: "campaign_launch", target });
    const { rows } = await pgPool().query(`SELECT "actorType"::text AS "actorType", "actorId" FROM "AuditEvent" WHERE "targetId" = $1`, [target.id]);
    expect(rows).toEqual([{ actorType: "platform", actorId: null }]);
  });
});

describe("the audit event's target type", () => {
  it("is refused by the database when it is not one of AuditTarget's values", async () => {
    const actor = await createAdmin();
    const target = { type: "objections" as AuditTarget, id: randomUUID() };
    await expect(recordAuditEvent(pgPool(), { actor, action: "reveal", target })).rejects.toThrow(/invalid input value for enum "AuditTarget"/);
    await expect(pgPool().query(`INSERT INTO "AuditEvent" ("actorType", action, "targetType", "targetId") VALUES ('system', 'domain_pause', 'campaigns', $1)`, [target.id])).rejects.toThrow(/invalid input value for enum "AuditTarget"/);
    const { rows } = await pgPool().query(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE "targetId" = $1`, [target.id]);
    expect(rows).toEqual([{ n: 0 }]);
  });
});
