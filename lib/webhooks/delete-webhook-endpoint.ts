import "server-only";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assertPlatformOrRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { webhookIdOf, webhookNotFound } from "@/lib/webhooks/webhook-not-found";

/** Removes an endpoint and its deliveries, pending ones included, for the platform or an admin (audited). AppError `not_found` for an unknown id. */
export const deleteWebhookEndpoint = async ({ actor, id: pathId }: { actor: TActor; id: string }) => {
  assertPlatformOrRole(actor, "admin");
  const id = webhookIdOf(pathId);
  const deleted = await db().$transaction(async (tx) => {
    const { count } = await tx.webhookEndpoint.deleteMany({ where: { id } });
    if (count > 0) await recordAuditEvent(tx, { actor, action: "webhook_delete", target: { type: "webhook", id } });
    return count > 0;
  });
  if (!deleted) throw webhookNotFound();
};
