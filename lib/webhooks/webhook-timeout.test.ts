import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { createWebhookEndpoint } from "@/lib/webhooks/create-webhook-endpoint";
import { deliverDueWebhooks } from "@/lib/webhooks/deliver-due-webhooks";
import { waitUntil } from "@/test/campaign-fixtures";
import { createWebhookMember, objectionOf } from "@/test/webhook-fixtures";
import { startWebhookReceiver } from "@/test/webhook-receiver";
import { closeWebhookTestFile } from "@/test/webhook-test-teardown";

// Its own file: the environment is read once a process, and this one sets a 1 s timeout.
process.env.WEBHOOK_ALLOW_PRIVATE = "1";
process.env.WEBHOOK_TIMEOUT_SECONDS = "1";

let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  receiver = await startWebhookReceiver({ delayMs: 2_500 });
});

afterAll(() => closeWebhookTestFile([receiver]));

describe("WEBHOOK_TIMEOUT_SECONDS", () => {
  it("fails a delivery its receiver has not answered within the timeout, and claims it for three times the timeout meanwhile", async () => {
    await createWebhookEndpoint({ actor: PLATFORM_ACTOR, url: receiver.url, events: ["objection.effective"] });
    await objectionOf((await createWebhookMember()).id);

    const started = performance.now();
    const round = deliverDueWebhooks();
    await waitUntil({ check: async () => receiver.received.length === 1, timeoutMs: 5_000, what: "the delivery to reach the receiver" });
    const claimed = await db().webhookDelivery.findFirstOrThrow();
    expect(claimed.nextAttemptAt.getTime() - claimed.lastAttemptAt!.getTime()).toBe(3_000);

    expect(await round).toBe(1);
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(await db().webhookDelivery.findFirstOrThrow()).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: null, lastError: "no answer within 1 s" });
  });
});
