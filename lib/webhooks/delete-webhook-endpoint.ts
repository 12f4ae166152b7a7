import "server-only";

import { db } from "@/lib/db";
import { webhookIdOf, webhookNotFound } from "@/lib/webhooks/webhook-not-found";

/** Removes an endpoint and its deliveries, pending ones included. AppError `not_found` for an unknown id. */
export const deleteWebhookEndpoint = async (id: string) => {
  const { count } = await db().webhookEndpoint.deleteMany({ where: { id: webhookIdOf(id) } });
  if (count === 0) throw webhookNotFound();
};
