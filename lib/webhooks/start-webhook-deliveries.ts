import "server-only";

import { setTimeout as sleep } from "node:timers/promises";

import { logger } from "@/lib/logger";
import { deliverDueWebhooks } from "@/lib/webhooks/deliver-due-webhooks";
import { closeWebhookAgents } from "@/lib/webhooks/send-webhook";
import type { TResolveHost } from "@/lib/webhooks/webhook-target";

/** How long an idle worker waits before looking for due deliveries again: the floor of the delivery latency. */
export const WEBHOOK_POLL_MS = 500;

/**
 * The worker's delivery loop: rounds back to back while there is work, a short wait when there is
 * none or the database failed (the claimed deliveries' leases then run out and they come back).
 * Resolves a stop function that lets the round in flight finish.
 */
export const startWebhookDeliveries = ({ pollMs = WEBHOOK_POLL_MS, resolve }: { pollMs?: number; resolve?: TResolveHost } = {}) => {
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const claimed = await deliverDueWebhooks({ resolve }).catch((error: unknown) => {
        logger().error({ event: "webhook_round_failed", error }, "a webhook delivery round failed; trying again shortly");
        return 0;
      });
      if (claimed === 0 && !stopping) await sleep(pollMs);
    }
  })();
  return async () => {
    stopping = true;
    await loop;
    closeWebhookAgents();
  };
};
