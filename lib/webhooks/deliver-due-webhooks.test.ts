import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { exportStorageAt } from "@/lib/exports/export-storage";
import { runExport } from "@/lib/exports/run-export";
import { withdrawObjection } from "@/lib/objections/withdraw-objection";
import { pgPool } from "@/lib/pg";
import { createWebhookEndpoint } from "@/lib/webhooks/create-webhook-endpoint";
import { deliverDueWebhooks } from "@/lib/webhooks/deliver-due-webhooks";
import { rotateWebhookSecret } from "@/lib/webhooks/rotate-webhook-secret";
import { exportSettingsFor, readCsvRows } from "@/test/export-fixtures";
import { TEST_ENV } from "@/test/test-env";
import { createWebhookMember, objectionOf } from "@/test/webhook-fixtures";
import { startWebhookReceiver, webhookBodyOf, type TReceivedWebhook } from "@/test/webhook-receiver";
import { closeWebhookTestFile } from "@/test/webhook-test-teardown";

// The receiver is this process's own HTTP server on 127.0.0.1, over http: allowed only with this.
process.env.WEBHOOK_ALLOW_PRIVATE = "1";

let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let received: TReceivedWebhook[] = [];
let url = "";

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  ({ url, received } = receiver);
});

beforeEach(async () => {
  receiver.reset();
  await db().webhookEndpoint.deleteMany();
});

afterAll(() => closeWebhookTestFile([receiver]));

/** Failed deliveries due at once, instead of after their backoff (which the backoff test checks). */
const makeFailedDue = () => pgPool().query(`UPDATE "WebhookDelivery" SET "nextAttemptAt" = now() WHERE status = 'pending'`);

const bodyOf = webhookBodyOf;

describe("delivering webhooks", () => {
  it("signs with Standard Webhooks, and the data is the export's row for the objection, with the same hash key", async () => {
    const { secret } = await createWebhookEndpoint({ actor: PLATFORM_ACTOR, url, events: ["objection.effective", "objection.withdrawn"] });
    const member = await createWebhookMember();
    const objection = await objectionOf(member.id);

    expect(await deliverDueWebhooks()).toBe(1);
    expect(received).toHaveLength(1);
    const [delivery] = received;
    const verified = new Webhook(secret).verify(delivery!.body, delivery!.headers as Record<string, string>) as { type: string; data: unknown };
    expect(delivery!.headers["webhook-id"]).toMatch(/^msg_\d+$/);
    expect(delivery!.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verified.type).toBe("objection.effective");
    expect(verified.data).toEqual({
      objection_id: objection.id,
      member_external_id: member.externalId,
      email_hmac: createHmac("sha256", TEST_ENV.EXPORT_HASH_KEY).update(member.email).digest("hex"),
      country: "IE",
      source: "direct",
      effective_at: objection.effectiveAt.toISOString(),
    });
    expect(await db().webhookDelivery.findFirstOrThrow({ select: { status: true, attempts: true, lastStatusCode: true } })).toEqual({ status: "delivered", attempts: 1, lastStatusCode: 200 });
    expect(await deliverDueWebhooks()).toBe(0);
  });

  it("delivers every objection.effective with the objection_id and values of the next export's delta", async () => {
    await createWebhookEndpoint({ actor: PLATFORM_ACTOR, url, events: ["objection.effective"] });
    for (let index = 0; index < 3; index++) await objectionOf((await createWebhookMember()).id);
    await deliverDueWebhooks();
    const folder = mkdtempSync(path.join(tmpdir(), "objection-webhooks-"));
    try {
      const { runId } = await runExport(exportSettingsFor({ storage: exportStorageAt(folder) }));
      const delta = new Map(readCsvRows({ folder, runId, name: "delta.csv" }).map(({ seq: _seq, op, ...row }) => [row.objection_id, { op, row }]));
      expect(received).toHaveLength(3);
      for (const delivery of received) expect(delta.get(String(bodyOf(delivery).data.objection_id))).toEqual({ op: "add", row: bodyOf(delivery).data });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("sends both signatures during a rotation's grace period", async () => {
    const { id, secret: old } = await createWebhookEndpoint({ actor: PLATFORM_ACTOR, url, events: ["objection.effective"] });
    const { secret } = await rotateWebhookSecret({ actor: PLATFORM_ACTOR, id });
    await objectionOf((await createWebhookMember()).id);
    await deliverDueWebhooks();
    const headers = received[0]!.headers as Record<string, string>;
    expect(headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    for (const key of [secret, old]) expect(() => new Webhook(key).verify(received[0]!.body, headers)).not.toThrow();
  });

  it("retries a failing receiver within seconds, then records the success", async () => {
    await createWebhookEndpoint({ actor: PLATFORM_ACTOR, url, events: ["objection.effective"] });
    await objectionOf((await createWebhookMember()).id);
    receiver.answers.push(503, 500);
    await deliverDueWebhooks();
    const failed = await db().webhookDelivery.findFirstOrThrow();
    expect(failed).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 503, lastError: "HTTP 503" });
    expect(failed.nextAttemptAt.getTime() - failed.lastAttemptAt!.getTime()).toBeLessThanOrEqual(30_000);
    expect((await db().webhookEndpoint.findFirstOrThrow()).failingSince).not.toBeNull();

    await makeFailedDue();
    await deliverDueWebhooks();
    await makeFailedDue();
    await deliverDueWebhooks();
    expect(received.map((delivery) => delivery.answered)).toEqual([503, 500, 200]);
    expect(new Set(received.map((delivery) => delivery.headers["webhook-id"])).size).toBe(1);
    expect(await db().webhookDelivery.findFirstOrThrow()).toMatchObject({ status: "delivered", attempts: 3, lastStatusCode: 200 });
    expect((await db().webhookEndpoint.findFirstOrThrow()).failingSince).toBeNull();
  });

  it("sends every failed delivery at once when the receiver is back: the first success ends the others' backoff", async () => {
    await createWebhookEndpoint({ actor: PLATFORM_ACTOR, url, events: ["objection.effective"] });
    for (let index = 0; index < 3; index++) await objectionOf((await createWebhookMember()).id);
    receiver.answers.push(503, 503, 503);
    expect(await deliverDueWebhooks()).toBe(3);
    expect(await deliverDueWebhooks()).toBe(0);
    // The receiver is back; a new objection's delivery is the first to find out.
    await objectionOf((await createWebhookMember()).id);
    expect(await deliverDueWebhooks()).toBe(1);
    expect(await deliverDueWebhooks()).toBe(3);
    expect(await db().webhookDelivery.count({ where: { status: "delivered" } })).toBe(4);
  });

  it("never delivers a withdrawal before its objection, however the objection's deliveries fail", async () => {
    await createWebhookEndpoint({ actor: PLATFORM_ACTOR, url, events: ["objection.effective", "objection.withdrawn"] });
    const member = await createWebhookMember();
    await objectionOf(member.id);
    await withdrawObjection({ actor: PLATFORM_ACTOR, memberId: member.id });
    receiver.answers.push(503, 503);
    for (let round = 0; round < 4; round++) {
      await deliverDueWebhooks();
      await makeFailedDue();
    }
    expect(received.map((delivery) => [bodyOf(delivery).type, delivery.answered])).toEqual([
      ["objection.effective", 503],
      ["objection.effective", 503],
      ["objection.effective", 200],
      ["objection.withdrawn", 200],
    ]);
    expect(bodyOf(received[3]!).data.withdrawn_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("backs off exponentially after 10 minutes of failure, and disables an endpoint failing for 3 days", async () => {
    await createWebhookEndpoint({ actor: PLATFORM_ACTOR, url, events: ["objection.effective"] });
    await objectionOf((await createWebhookMember()).id);
    await pgPool().query(`UPDATE "WebhookEndpoint" SET "failingSince" = now() - interval '60 minutes'`);
    receiver.answers.push(503, 503);
    await deliverDueWebhooks();
    const delivery = await db().webhookDelivery.findFirstOrThrow();
    // A sixth of the hour failing so far.
    expect((delivery.nextAttemptAt.getTime() - delivery.lastAttemptAt!.getTime()) / 60_000).toBeCloseTo(10, 0);

    await pgPool().query(`UPDATE "WebhookEndpoint" SET "failingSince" = now() - interval '3 days 1 minute'`);
    await makeFailedDue();
    await deliverDueWebhooks();
    expect((await db().webhookEndpoint.findFirstOrThrow()).disabledAt).not.toBeNull();
    await makeFailedDue();
    expect(await deliverDueWebhooks()).toBe(0);
  });

  it("checks the address again at delivery: a host that now resolves to a link-local address is not contacted", async () => {
    await createWebhookEndpoint({ actor: PLATFORM_ACTOR, url: url.replace("127.0.0.1", "pipeline.test"), events: ["objection.effective"], resolve: async () => ["127.0.0.1"] });
    await objectionOf((await createWebhookMember()).id);
    await deliverDueWebhooks({ resolve: async () => ["169.254.169.254"] });
    expect(received).toHaveLength(0);
    expect((await db().webhookDelivery.findFirstOrThrow()).lastError).toMatch(/link-local/);
    // The address checked is the one connected to: pipeline.test resolves nowhere else.
    await makeFailedDue();
    await deliverDueWebhooks({ resolve: async () => ["127.0.0.1"] });
    expect(received).toHaveLength(1);
  });
});
