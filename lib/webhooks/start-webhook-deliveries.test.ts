import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { createWebhookEndpoint } from "@/lib/webhooks/create-webhook-endpoint";
import { startWebhookDeliveries } from "@/lib/webhooks/start-webhook-deliveries";
import { waitUntil } from "@/test/campaign-fixtures";
import { createWebhookMember, objectionOf } from "@/test/webhook-fixtures";
import { startWebhookReceiver } from "@/test/webhook-receiver";
import { closeWebhookTestFile } from "@/test/webhook-test-teardown";

process.env.WEBHOOK_ALLOW_PRIVATE = "1";

let fast: Awaited<ReturnType<typeof startWebhookReceiver>>;
let slow: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  fast = await startWebhookReceiver();
  // Within the 10 s a delivery may take, but far slower than the fast one's rounds.
  slow = await startWebhookReceiver({ delayMs: 4_000 });
});

afterAll(() => closeWebhookTestFile([fast, slow]));

describe("the worker's delivery lanes", () => {
  it("keeps delivering to a fast receiver while a slow one holds its own deliveries, and picks up an endpoint added later", async () => {
    await createWebhookEndpoint({ actor: PLATFORM_ACTOR, url: slow.url, events: ["objection.effective"] });
    const stop = startWebhookDeliveries({ pollMs: 50, endpointsPollMs: 100 });
    try {
      await objectionOf((await createWebhookMember()).id);
      await waitUntil({ check: async () => slow.received.length === 1, timeoutMs: 5_000, what: "the slow receiver's first delivery" });
      // The slow receiver is answering its first delivery; the fast endpoint comes now.
      await createWebhookEndpoint({ actor: PLATFORM_ACTOR, url: fast.url, events: ["objection.effective"] });
      const started = Date.now();
      for (let index = 0; index < 3; index++) await objectionOf((await createWebhookMember()).id);
      await waitUntil({ check: async () => fast.received.length === 3, timeoutMs: 3_000, what: "the fast receiver's three deliveries" });
      expect(Date.now() - started).toBeLessThan(2_000);
      // Still on its first round.
      expect(slow.received).toHaveLength(1);
    } finally {
      await stop();
    }
  });
});
