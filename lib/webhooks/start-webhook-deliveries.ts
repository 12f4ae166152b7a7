import "server-only";

import { setTimeout as sleep } from "node:timers/promises";

import { logger } from "@/lib/logger";
import { pgPool } from "@/lib/pg";
import { deliverDueWebhooksTo } from "@/lib/webhooks/deliver-due-webhooks";
import { closeWebhookAgents } from "@/lib/webhooks/send-webhook";
import { ENABLED_ENDPOINTS_SQL } from "@/lib/webhooks/webhook-delivery-sql";
import type { TResolveHost } from "@/lib/webhooks/webhook-target";

/** How long an idle lane waits before looking for due deliveries again: the floor of the delivery latency. */
export const WEBHOOK_POLL_MS = 500;

/** How often the worker looks for endpoints added, removed, disabled or enabled again. */
export const WEBHOOK_ENDPOINTS_POLL_MS = 2_000;

/**
 * One endpoint's delivery loop: rounds back to back while there is work, a short wait when there
 * is none or the database failed (the claimed deliveries' leases then run out and they come back).
 * Ends, after the round in flight, when `running()` says so.
 */
type TLane = { endpointId: string; running: () => boolean; pollMs: number; stopped: AbortSignal; resolve?: TResolveHost };

/** Waits, or less once the deliveries stop. */
const pause = (ms: number, stopped: AbortSignal) => sleep(ms, undefined, { signal: stopped }).catch(() => undefined);

const runLane = async ({ endpointId, running, pollMs, stopped, resolve }: TLane) => {
  while (running()) {
    const claimed = await deliverDueWebhooksTo({ endpointId, resolve }).catch((error: unknown) => {
      logger().error({ event: "webhook_round_failed", endpointId, error }, "a webhook delivery round failed; trying again shortly");
      return 0;
    });
    if (claimed === 0 && running()) await pause(pollMs, stopped);
  }
};

/**
 * The worker's deliveries: a lane per enabled endpoint (at most MAX_WEBHOOK_ENDPOINTS), so a slow
 * or failing receiver holds up its own deliveries only. The endpoints are read again every
 * WEBHOOK_ENDPOINTS_POLL_MS: a new one gets a lane, a removed or disabled one's lane ends.
 * Resolves a stop function that lets each lane's round in flight finish.
 */
export const startWebhookDeliveries = ({ pollMs = WEBHOOK_POLL_MS, endpointsPollMs = WEBHOOK_ENDPOINTS_POLL_MS, resolve }: { pollMs?: number; endpointsPollMs?: number; resolve?: TResolveHost } = {}) => {
  let stopping = false;
  const stop = new AbortController();
  const lanes = new Map<string, Promise<void>>();
  let enabled = new Set<string>();
  const supervisor = (async () => {
    while (!stopping) {
      enabled = await pgPool()
        .query<{ id: string }>(ENABLED_ENDPOINTS_SQL)
        .then(({ rows }) => new Set(rows.map((row) => row.id)))
        .catch((error: unknown) => {
          logger().error({ event: "webhook_endpoints_read_failed", error }, "the webhook endpoints could not be read; the lanes keep going");
          return enabled;
        });
      for (const endpointId of enabled) {
        if (lanes.has(endpointId)) continue;
        const running = () => !stopping && enabled.has(endpointId);
        lanes.set(endpointId, runLane({ endpointId, running, pollMs, stopped: stop.signal, resolve }).finally(() => lanes.delete(endpointId)));
      }
      await pause(endpointsPollMs, stop.signal);
    }
  })();
  return async () => {
    stopping = true;
    stop.abort();
    await supervisor;
    await Promise.all(lanes.values());
    closeWebhookAgents();
  };
};
