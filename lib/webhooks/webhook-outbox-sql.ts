import "server-only";

import type { TWebhookEventType } from "@/lib/webhooks/webhook-event-types";

/** An endpoint that `type`'s events go to, as a condition on "WebhookEndpoint" e. */
const listening = (type: TWebhookEventType) => `e."disabledAt" IS NULL AND '${type}'::"WebhookEventType" = ANY(e.events)`;

/**
 * CTEs (to append to a WITH list: they start with a comma) that write the outbox: `type`'s event
 * for each objection of the relation `from` (its `id` and "memberId"), and one delivery per
 * endpoint listening for it. The change's own statement writes them, so they commit with it or not
 * at all. With no endpoint listening, nothing is written. The fan-out is bounded by the number of
 * endpoints (lib/webhooks/create-webhook-endpoint.ts caps it), and reads only that small table.
 */
export const webhookOutboxCtes = ({ type, from }: { type: TWebhookEventType; from: string }) => `
  , webhook_event AS (
    INSERT INTO "WebhookEvent" (type, "objectionId")
    SELECT '${type}', f.id FROM ${from} f
     WHERE EXISTS (SELECT 1 FROM "WebhookEndpoint" e WHERE ${listening(type)})
    RETURNING id, "objectionId"
  ), webhook_delivery AS (
    INSERT INTO "WebhookDelivery" ("endpointId", "eventId", "objectionId", "orderKey")
    SELECT e.id, w.id, f.id, coalesce(f."memberId", f.id)
      FROM webhook_event w JOIN ${from} f ON f.id = w."objectionId"
     CROSS JOIN "WebhookEndpoint" e
     WHERE ${listening(type)}
  )`;

/** The withdrawal's event and deliveries, in the withdrawing transaction: objection $1. */
export const RECORD_WITHDRAWAL_EVENT_SQL = `
  WITH withdrawn AS (SELECT id, "memberId" FROM "Objection" WHERE id = $1::uuid)${webhookOutboxCtes({ type: "objection.withdrawn", from: "withdrawn" })}
  SELECT 1 AS written`;
