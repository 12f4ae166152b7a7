import "server-only";

import { setTimeout as sleep } from "node:timers/promises";

import { db } from "@/lib/db";

/** How long the console waits for a test's first try: the worker looks for due deliveries every 0.5 s. */
const WAIT_MS = 5_000;
const POLL_MS = 250;

/** The test delivery's first try, once a worker has made it, or null after WAIT_MS (no worker running, or a slow receiver). */
export const testDeliveryOutcome = async (deliveryId: string) => {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const delivery = await db().webhookDelivery.findUnique({
      where: { id: BigInt(deliveryId) },
      select: { status: true, lastStatusCode: true, lastLatencyMs: true, lastError: true },
    });
    if (!delivery) return null;
    if (delivery.status === "delivered" || delivery.lastError) return delivery;
    await sleep(POLL_MS);
  }
  return null;
};
