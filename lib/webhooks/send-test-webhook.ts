import "server-only";

import { randomUUID } from "node:crypto";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { webhookIdOf, webhookNotFound } from "@/lib/webhooks/webhook-not-found";

/**
 * Queues a `webhook.test` event for one endpoint (an admin's, audited): the worker signs and sends
 * it like any other, so a 2xx proves the receiver, its secret and the path to it. Its order key is
 * its own, so it waits for no member's deliveries. Resolves the delivery's id, for its outcome.
 * AppError `not_found` for an unknown id, `conflict` for a disabled endpoint (nothing is sent to one).
 */
export const sendTestWebhook = async ({ actor, id: pathId }: { actor: TActor; id: string }) => {
  assertRole(actor, "admin");
  const id = webhookIdOf(pathId);
  return db().$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.findUnique({ where: { id }, select: { disabledAt: true } });
    if (!endpoint) throw webhookNotFound();
    if (endpoint.disabledAt) throw new AppError("conflict", { message: "This endpoint is disabled, so nothing is sent to it. Replay its failed deliveries to enable it again, then test it." });
    const event = await tx.webhookEvent.create({ data: { type: "webhook_test" }, select: { id: true } });
    const delivery = await tx.webhookDelivery.create({ data: { endpointId: id, eventId: event.id, orderKey: randomUUID() }, select: { id: true } });
    await recordAuditEvent(tx, { actor, action: "webhook_test", target: { type: "webhook", id } });
    return { deliveryId: delivery.id.toString() };
  });
};
