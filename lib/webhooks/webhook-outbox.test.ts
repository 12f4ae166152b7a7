import { randomBytes } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { stopJobs } from "@/lib/jobs";
import { withdrawObjection } from "@/lib/objections/withdraw-objection";
import { closePgPool } from "@/lib/pg";
import { createWebhookMember, objectionOf, submitMemberObjection } from "@/test/webhook-fixtures";

afterAll(async () => {
  await stopJobs();
  await closePgPool();
  await db().$disconnect();
});

const createEndpoint = (events: ("objection_effective" | "objection_withdrawn")[], disabled = false) =>
  db().webhookEndpoint.create({ data: { url: "https://pipeline.example.eu/hooks", events, secret: "whsec_dGVzdA==", disabledAt: disabled ? new Date() : null } });

const outboxOf = async (objectionId: string) => ({
  events: await db().webhookEvent.findMany({ where: { objectionId }, select: { type: true }, orderBy: { id: "asc" } }),
  deliveries: await db().webhookDelivery.findMany({ where: { objectionId }, select: { endpointId: true, orderKey: true, status: true, event: { select: { type: true } } }, orderBy: { id: "asc" } }),
});

/** A real fault in the last step of the member's change: a trigger refuses `table`'s row for this member's objection. */
const refuseRowsFor = async ({ memberId, table, objectionColumn }: { memberId: string; table: string; objectionColumn: string }, work: () => Promise<unknown>) => {
  const fn = `test_refuse_${randomBytes(6).toString("hex")}`;
  await db().$executeRawUnsafe(`
    CREATE FUNCTION public.${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM public."Objection" o WHERE o.id::text = ${objectionColumn} AND o."memberId" = '${memberId}') THEN
        RAISE EXCEPTION 'refused by test';
      END IF;
      RETURN NEW;
    END;
    $$`);
  await db().$executeRawUnsafe(`CREATE TRIGGER ${fn} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION public.${fn}()`);
  try {
    await expect(work()).rejects.toThrow(/refused by test/);
  } finally {
    await db().$executeRawUnsafe(`DROP TRIGGER ${fn} ON ${table}`);
    await db().$executeRawUnsafe(`DROP FUNCTION public.${fn}()`);
  }
};

describe("the webhook outbox", () => {
  it("writes nothing while no endpoint listens", async () => {
    const member = await createWebhookMember();
    expect(await outboxOf((await objectionOf(member.id)).id)).toEqual({ events: [], deliveries: [] });
  });

  describe("with endpoints", () => {
    let both: { id: string };
    let withdrawalsOnly: { id: string };
    beforeAll(async () => {
      both = await createEndpoint(["objection_effective", "objection_withdrawn"]);
      withdrawalsOnly = await createEndpoint(["objection_withdrawn"]);
      await createEndpoint(["objection_effective", "objection_withdrawn"], true);
    });

    it("writes an objection's event, and a delivery to each enabled endpoint listening for it, with the objection", async () => {
      const member = await createWebhookMember();
      const objection = await objectionOf(member.id);
      expect(await outboxOf(objection.id)).toEqual({
        events: [{ type: "objection_effective" }],
        deliveries: [{ endpointId: both.id, orderKey: member.id, status: "pending", event: { type: "objection_effective" } }],
      });

      await withdrawObjection({ actor: PLATFORM_ACTOR, memberId: member.id });
      const { events, deliveries } = await outboxOf(objection.id);
      expect(events).toEqual([{ type: "objection_effective" }, { type: "objection_withdrawn" }]);
      expect(deliveries.slice(1).map((delivery) => delivery.endpointId).sort()).toEqual([both.id, withdrawalsOnly.id].sort());
    });

    it("writes no event for an objection whose statement fails at its last step", async () => {
      const member = await createWebhookMember();
      const before = await db().webhookEvent.count();
      await refuseRowsFor({ memberId: member.id, table: "pgboss.job", objectionColumn: "NEW.data->>'objectionId'" }, () => submitMemberObjection(member.id));
      expect(await db().objection.count({ where: { memberId: member.id } })).toBe(0);
      expect(await db().webhookEvent.count()).toBe(before);
      expect(await db().webhookDelivery.count({ where: { orderKey: member.id } })).toBe(0);
    });

    it("withdraws nothing when the withdrawal's event cannot be written", async () => {
      const member = await createWebhookMember();
      const objection = await objectionOf(member.id);
      await refuseRowsFor({ memberId: member.id, table: `"WebhookEvent"`, objectionColumn: `NEW."objectionId"::text` }, () => withdrawObjection({ actor: PLATFORM_ACTOR, memberId: member.id }));
      expect((await db().objection.findUniqueOrThrow({ where: { id: objection.id } })).status).toBe("effective");
      expect((await outboxOf(objection.id)).events).toEqual([{ type: "objection_effective" }]);
    });
  });
});
