import { afterAll, describe, expect, it } from "vitest";

import { systemActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { QUEUES, stopJobs } from "@/lib/jobs";
import { closePgPool, pgPool } from "@/lib/pg";
import { pruneWebhookDeliveries, WEBHOOK_DELIVERY_RETENTION_DAYS } from "@/lib/webhooks/prune-webhook-deliveries";
import { createWebhookMember, objectionOf } from "@/test/webhook-fixtures";

afterAll(async () => {
  await stopJobs();
  await closePgPool();
  await db().$disconnect();
});

const actor = systemActor(QUEUES.webhookDeliveriesPrune.name);

describe("pruning webhook deliveries", () => {
  it("deletes acknowledged deliveries past their retention and their events, in batches, and keeps pending and recent ones", async () => {
    await db().webhookEndpoint.create({ data: { url: "https://pipeline.example.eu/hooks", events: ["objection_effective"], secret: "whsec_dGVzdA==" } });
    const objections = [];
    for (let index = 0; index < 5; index++) objections.push(await objectionOf((await createWebhookMember()).id));
    const [oldOne, oldTwo, oldThree, recent] = objections.map((objection) => objection.id);
    await pgPool().query(`UPDATE "WebhookDelivery" SET status = 'delivered', "deliveredAt" = now() - $2 * interval '1 day' WHERE "objectionId" = ANY($1::uuid[])`, [[oldOne, oldTwo, oldThree], WEBHOOK_DELIVERY_RETENTION_DAYS + 1]);
    await pgPool().query(`UPDATE "WebhookDelivery" SET status = 'delivered', "deliveredAt" = now() WHERE "objectionId" = $1`, [recent]);

    expect(await pruneWebhookDeliveries({ actor, batchSize: 2 })).toBe(3);
    const left = await db().webhookDelivery.findMany({ select: { objectionId: true, status: true } });
    expect(left.map((delivery) => delivery.objectionId).sort()).toEqual([recent, objections[4]!.id].sort());
    expect((await db().webhookEvent.findMany({ select: { objectionId: true } })).map((event) => event.objectionId).sort()).toEqual([recent, objections[4]!.id].sort());
  });
});
