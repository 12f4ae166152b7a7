import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { pgPool } from "@/lib/pg";
import { createWebhookEndpoint } from "@/lib/webhooks/create-webhook-endpoint";
import { deliverDueWebhooks, TEST_EVENT_DATA } from "@/lib/webhooks/deliver-due-webhooks";
import { replayFailedWebhookDeliveries } from "@/lib/webhooks/replay-failed-webhook-deliveries";
import { replayWebhookDelivery } from "@/lib/webhooks/replay-webhook-delivery";
import { sendTestWebhook } from "@/lib/webhooks/send-test-webhook";
import { DELIVERIES_PAGE_SIZE, webhookEndpointPage } from "@/lib/webhooks/webhook-endpoint-page";
import { createAdmin, type TTestAdmin } from "@/test/factories";
import { adminError } from "@/test/objection-admin-fixtures";
import { createWebhookMember, objectionOf } from "@/test/webhook-fixtures";
import { startWebhookReceiver, webhookBodyOf } from "@/test/webhook-receiver";
import { closeWebhookTestFile } from "@/test/webhook-test-teardown";

process.env.WEBHOOK_ALLOW_PRIVATE = "1";

let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let admin: TTestAdmin;
let endpointId: string;
let endpointSecret: string;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  admin = await createAdmin({ db: pgPool(), role: "admin" });
});

beforeEach(async () => {
  receiver.reset();
  await db().webhookEndpoint.deleteMany();
  ({ id: endpointId, secret: endpointSecret } = await createWebhookEndpoint({ actor: admin, url: receiver.url, events: ["objection.effective", "objection.withdrawn"] }));
});

afterAll(() => closeWebhookTestFile([receiver]));

const auditedActions = async () =>
  (await db().auditEvent.findMany({ where: { targetType: "webhook", targetId: endpointId }, orderBy: { id: "asc" }, select: { action: true, actorId: true } })).map(({ action, actorId }) => `${action}:${actorId === admin.id ? "admin" : actorId}`);

/** A failing delivery per member, each waiting out its backoff: none is due now. */
const failingDeliveries = async (members: number) => {
  for (let index = 0; index < members; index++) await objectionOf((await createWebhookMember()).id);
  receiver.answers.push(...Array.from({ length: members }, () => 503));
  expect(await deliverDueWebhooks()).toBe(members);
  expect(await deliverDueWebhooks()).toBe(0);
};

describe("the console's webhook commands", () => {
  it("sends a signed webhook.test to one endpoint, audited as the admin's; a viewer may not", async () => {
    await createWebhookEndpoint({ actor: PLATFORM_ACTOR, url: receiver.url, events: ["objection.effective"] });
    await sendTestWebhook({ actor: admin, id: endpointId });
    expect(await deliverDueWebhooks()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(() => new Webhook(endpointSecret).verify(delivery!.body, delivery!.headers as Record<string, string>)).not.toThrow();
    expect(webhookBodyOf(delivery!)).toMatchObject({ type: "webhook.test", data: TEST_EVENT_DATA });
    expect(await auditedActions()).toEqual(["webhook_create:admin", "webhook_test:admin"]);

    const viewer = await createAdmin({ db: pgPool(), role: "viewer" });
    expect((await adminError(sendTestWebhook({ actor: viewer, id: endpointId }))).code).toBe("forbidden");
    expect((await adminError(sendTestWebhook({ actor: PLATFORM_ACTOR, id: endpointId }))).code).toBe("forbidden");
  });

  it("replays one failed delivery at once, and refuses one that is not failing", async () => {
    await failingDeliveries(2);
    const [first, second] = (await webhookEndpointPage({ actor: admin, id: endpointId })).deliveries;
    expect([first!.state, second!.state]).toEqual(["retrying", "retrying"]);

    await replayWebhookDelivery({ actor: admin, replay: { endpointId, deliveryId: first!.id } });
    expect(await deliverDueWebhooks()).toBe(1);
    const page = await webhookEndpointPage({ actor: admin, id: endpointId });
    expect(page.deliveries.map((delivery) => delivery.state)).toEqual(["delivered", "retrying"]);
    expect(page.deliveries[0]).toMatchObject({ attempts: 2, lastStatusCode: 200, webhookId: receiver.received[2]!.headers["webhook-id"] });

    expect((await adminError(replayWebhookDelivery({ actor: admin, replay: { endpointId, deliveryId: first!.id } }))).code).toBe("conflict");
    expect((await adminError(replayWebhookDelivery({ actor: admin, replay: { endpointId, deliveryId: "999999999" } }))).code).toBe("not_found");
    expect(await auditedActions()).toEqual(["webhook_create:admin", "webhook_replay:admin"]);
  });

  it("replays all failed deliveries with one row's change, each once: a replayed one that fails again waits out its backoff", async () => {
    await failingDeliveries(3);
    await replayFailedWebhookDeliveries({ actor: admin, id: endpointId });
    receiver.answers.push(503);
    expect(await deliverDueWebhooks()).toBe(3);
    expect(receiver.received.slice(3).map((delivery) => delivery.answered)).toEqual([503, 200, 200]);
    expect(await deliverDueWebhooks()).toBe(0);
    expect((await webhookEndpointPage({ actor: admin, id: endpointId })).deliveries.map((delivery) => delivery.state).sort()).toEqual(["delivered", "delivered", "retrying"]);
  });

  it("enables a disabled endpoint again when its failed deliveries are replayed, with its failure clock started over", async () => {
    await failingDeliveries(1);
    await pgPool().query(`UPDATE "WebhookEndpoint" SET "disabledAt" = now(), "failingSince" = now() - interval '3 days'`);
    expect((await adminError(sendTestWebhook({ actor: admin, id: endpointId }))).code).toBe("conflict");
    expect(await replayFailedWebhookDeliveries({ actor: admin, id: endpointId })).toEqual({ enabled: true });
    expect(await db().webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId }, select: { disabledAt: true, failingSince: true } })).toEqual({ disabledAt: null, failingSince: null });
    expect(await deliverDueWebhooks()).toBe(1);
    expect(receiver.received.at(-1)!.answered).toBe(200);
  });

  it("pages an endpoint's deliveries, newest event first, by a bounded read", async () => {
    const member = await createWebhookMember();
    await objectionOf(member.id);
    await pgPool().query(
      `WITH event AS (INSERT INTO "WebhookEvent" (type) SELECT 'webhook.test' FROM generate_series(1, $2) RETURNING id)
       INSERT INTO "WebhookDelivery" ("endpointId", "eventId", "orderKey") SELECT $1, id, gen_random_uuid() FROM event`,
      [endpointId, DELIVERIES_PAGE_SIZE],
    );
    const first = await webhookEndpointPage({ actor: admin, id: endpointId });
    expect(first.deliveries).toHaveLength(DELIVERIES_PAGE_SIZE);
    expect(first.deliveries.every((delivery) => delivery.type === "webhook.test" && delivery.state === "waiting")).toBe(true);
    const second = await webhookEndpointPage({ actor: admin, id: endpointId, before: first.nextBefore! });
    expect(second.deliveries.map((delivery) => delivery.type)).toEqual(["objection.effective"]);
    expect(second.nextBefore).toBeNull();
    expect((await adminError(webhookEndpointPage({ actor: admin, id: "not-a-uuid" }))).code).toBe("not_found");
  });
});
