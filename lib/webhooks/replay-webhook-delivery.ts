import "server-only";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import type { TReplayWebhookDelivery } from "@/lib/webhooks/schema";

const notFailed = () => new AppError("conflict", { message: "This delivery is not failing: it was delivered, or it has not been tried yet. Reload the list." });

/**
 * Makes one failed delivery due at once, instead of after its backoff (an admin's, audited). Only
 * a failed one: replaying a delivered event could reach the receiver after a later one for the
 * same member. AppError `not_found` for an unknown delivery, `conflict` for one not failing or on
 * a disabled endpoint.
 */
export const replayWebhookDelivery = async ({ actor, replay }: { actor: TActor; replay: TReplayWebhookDelivery }) => {
  assertRole(actor, "admin");
  const id = BigInt(replay.deliveryId);
  await db().$transaction(async (tx) => {
    const delivery = await tx.webhookDelivery.findFirst({
      where: { id, endpointId: replay.endpointId },
      select: { status: true, attempts: true, endpoint: { select: { disabledAt: true } } },
    });
    if (!delivery) throw new AppError("not_found", { message: "No delivery to this endpoint has this id: it may have been pruned. Reload the list." });
    if (delivery.endpoint.disabledAt) throw new AppError("conflict", { message: "This endpoint is disabled. Replay all its failed deliveries to enable it again." });
    // Only while it is still failing: a worker may have delivered it since the page was drawn.
    const { count } = await tx.webhookDelivery.updateMany({ where: { id, status: "pending", attempts: { gt: 0 } }, data: { nextAttemptAt: new Date() } });
    if (count === 0) throw notFailed();
    await recordAuditEvent(tx, { actor, action: "webhook_replay", target: { type: "webhook", id: replay.endpointId }, detail: { delivery: replay.deliveryId } });
  });
};
