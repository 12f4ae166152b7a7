import "server-only";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { webhookIdOf, webhookNotFound } from "@/lib/webhooks/webhook-not-found";

/**
 * "Replay all failed", for an admin (audited): every delivery to the endpoint that is waiting out a
 * retry's backoff is due at once. One row changes, the endpoint's `replayRequestedAt`, however many
 * deliveries failed; the workers' claim finds them by it (lib/webhooks/webhook-delivery-sql.ts).
 * A disabled endpoint is enabled again; its failure clock starts over, so its retries are quick
 * again. Events made while it was disabled were never queued for it: the nightly export has them.
 * AppError `not_found` for an unknown id.
 */
export const replayFailedWebhookDeliveries = async ({ actor, id: pathId }: { actor: TActor; id: string }) => {
  assertRole(actor, "admin");
  const id = webhookIdOf(pathId);
  return db().$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.findUnique({ where: { id }, select: { disabledAt: true } });
    if (!endpoint) throw webhookNotFound();
    await tx.webhookEndpoint.update({ where: { id }, data: { replayRequestedAt: new Date(), disabledAt: null, failingSince: null } });
    const enabled = !!endpoint.disabledAt;
    await recordAuditEvent(tx, { actor, action: "webhook_replay", target: { type: "webhook", id }, detail: { deliveries: "all failed", enabledAgain: enabled } });
    return { enabled };
  });
};
