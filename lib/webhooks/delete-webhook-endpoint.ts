import "server-only";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { webhookIdOf, webhookNotFound } from "@/lib/webhooks/webhook-not-found";

/** Removes an endpoint and its deliveries, pending ones included (audited, as the platform's). AppError `not_found` for an unknown id. */
export const deleteWebhookEndpoint = async (pathId: string) => {
  const id = webhookIdOf(pathId);
  const deleted = await db().$transaction(async (tx) => {
    const { count } = await tx.webhookEndpoint.deleteMany({ where: { id } });
    if (count > 0) await recordAuditEvent(tx, { actor: PLATFORM_ACTOR, action: "webhook_delete", target: { type: "webhook", id } });
    return count > 0;
  });
  if (!deleted) throw webhookNotFound();
};
