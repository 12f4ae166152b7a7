import "server-only";

import { assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { apiEventType } from "@/lib/webhooks/webhook-event-types";
import { webhookIdOf, webhookNotFound } from "@/lib/webhooks/webhook-not-found";

/** How many deliveries a page of an endpoint's recent ones shows. */
export const DELIVERIES_PAGE_SIZE = 50;

export type TDeliveryState = "delivered" | "retrying" | "waiting";

/** Delivered; or tried and failed, so waiting out a backoff; or not tried yet. */
const deliveryState = ({ delivered, attempts }: { delivered: boolean; attempts: number }): TDeliveryState => {
  if (delivered) return "delivered";
  return attempts > 0 ? "retrying" : "waiting";
};

/**
 * An endpoint and a page of its deliveries, newest event first, for an admin: each with its state,
 * tries, last answer and latency. A bounded read: the (endpoint, event) unique index gives the
 * page, `before` (an event id) the next one. AppError `not_found` for an unknown endpoint.
 */
export const webhookEndpointPage = async ({ actor, id: pathId, before }: { actor: TActor; id: string; before?: string }) => {
  assertRole(actor, "admin");
  const id = webhookIdOf(pathId);
  const endpoint = await db().webhookEndpoint.findUnique({
    where: { id },
    select: { id: true, url: true, events: true, createdAt: true, failingSince: true, disabledAt: true, previousSecretUntil: true },
  });
  if (!endpoint) throw webhookNotFound();
  const rows = await db().webhookDelivery.findMany({
    where: { endpointId: id, ...(before ? { eventId: { lt: BigInt(before) } } : {}) },
    orderBy: { eventId: "desc" },
    take: DELIVERIES_PAGE_SIZE + 1,
    select: {
      id: true, eventId: true, objectionId: true, status: true, attempts: true, nextAttemptAt: true, lastAttemptAt: true,
      lastStatusCode: true, lastLatencyMs: true, lastError: true, deliveredAt: true, createdAt: true, event: { select: { type: true } },
    },
  });
  const deliveries = rows.slice(0, DELIVERIES_PAGE_SIZE).map(({ id: deliveryId, eventId, event, status, attempts, ...delivery }) => ({
    ...delivery,
    id: deliveryId.toString(),
    webhookId: `msg_${eventId}`,
    type: apiEventType(event.type),
    attempts,
    state: deliveryState({ delivered: status === "delivered", attempts }),
  }));
  const nextBefore = rows.length > DELIVERIES_PAGE_SIZE ? rows[DELIVERIES_PAGE_SIZE - 1]!.eventId.toString() : null;
  return { endpoint: { ...endpoint, events: endpoint.events.map(apiEventType) }, deliveries, nextBefore };
};

export type TWebhookEndpointPage = Awaited<ReturnType<typeof webhookEndpointPage>>;
