import "server-only";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assertPlatformOrRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { webhookIdOf, webhookNotFound } from "@/lib/webhooks/webhook-not-found";
import { newWebhookSecret } from "@/lib/webhooks/webhook-secret";

/**
 * Gives the endpoint a new secret, shown this once. For WEBHOOK_SECRET_GRACE_HOURS every delivery
 * carries two signatures, the new secret's and the old one's, so the receiver can switch in its own
 * time. A second rotation within the grace period replaces the old secret with the one it rotates
 * out. AppError `not_found` for an unknown id.
 */
export const rotateWebhookSecret = async ({ actor, id: pathId }: { actor: TActor; id: string }) => {
  assertPlatformOrRole(actor, "admin");
  const id = webhookIdOf(pathId);
  const secret = newWebhookSecret();
  const previousSecretUntil = new Date(Date.now() + env().WEBHOOK_SECRET_GRACE_HOURS * 3_600_000);
  const endpoint = await db().webhookEndpoint.findUnique({ where: { id }, select: { secret: true } });
  if (!endpoint) throw webhookNotFound();
  // Only if no rotation came in between: of two at once, one wins and the other is not found.
  const rotated = await db().$transaction(async (tx) => {
    const { count } = await tx.webhookEndpoint.updateMany({ where: { id, secret: endpoint.secret }, data: { secret, previousSecret: endpoint.secret, previousSecretUntil } });
    if (count > 0) await recordAuditEvent(tx, { actor, action: "webhook_rotate_secret", target: { type: "webhook", id } });
    return count > 0;
  });
  if (!rotated) throw webhookNotFound();
  return { id, secret, previousSecretValidUntil: previousSecretUntil.toISOString() };
};
