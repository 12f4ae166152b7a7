import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { recordAuditEventSql } from "@/lib/audit/record-audit-event-sql";
import { db } from "@/lib/db";
import type { AuditTarget } from "@/lib/generated/prisma/enums";
import { closePgPool, pgPool } from "@/lib/pg";
import { createAdmin as createAdminRow } from "@/test/factories";

afterAll(async () => {
  await closePgPool();
  await db().$disconnect();
});

const createAdmin = () => createAdminRow({ db: pgPool(), role: "admin" });

describe("the audit event's target type", () => {
  it("stores what both recorders wrote, read back as the same target type", async () => {
    const actor = await createAdmin();
    const [viaPrisma, viaPg] = [randomUUID(), randomUUID()];
    await recordAuditEvent(db(), { actor, action: "reveal", target: { type: "objection", id: viaPrisma } });
    await recordAuditEventSql(pgPool(), { actor, action: "campaign_launch", target: { type: "campaign", id: viaPg } });

    const { rows } = await pgPool().query(`SELECT "targetType"::text AS "targetType", "targetId" FROM "AuditEvent" WHERE "actorId" = $1 ORDER BY id`, [actor.id]);
    expect(rows).toEqual([
      { targetType: "objection", targetId: viaPrisma },
      { targetType: "campaign", targetId: viaPg },
    ]);
  });

  it("is refused by the database when it is not one of AuditTarget's values", async () => {
    const actor = await createAdmin();
    const target = { type: "objections" as AuditTarget, id: randomUUID() };
    await expect(recordAuditEventSql(pgPool(), { actor, action: "reveal", target })).rejects.toThrow(/invalid input value for enum "AuditTarget"/);
    await expect(pgPool().query(`INSERT INTO "AuditEvent" ("actorType", action, "targetType", "targetId") VALUES ('system', 'domain_pause', 'campaigns', $1)`, [target.id])).rejects.toThrow(/invalid input value for enum "AuditTarget"/);
    const { rows } = await pgPool().query(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE "targetId" = $1`, [target.id]);
    expect(rows).toEqual([{ n: 0 }]);
  });
});
