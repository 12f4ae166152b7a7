import "server-only";

import { db } from "@/lib/db";
import { apiEventType } from "@/lib/webhooks/webhook-event-types";

/** Every endpoint, oldest first, without its secrets (at most MAX_WEBHOOK_ENDPOINTS). */
export const listWebhookEndpoints = async () => {
  const endpoints = await db().webhookEndpoint.findMany({
    select: { id: true, url: true, events: true, createdAt: true, disabledAt: true, failingSince: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return endpoints.map((endpoint) => ({
    ...endpoint,
    events: endpoint.events.map(apiEventType),
    createdAt: endpoint.createdAt.toISOString(),
    disabledAt: endpoint.disabledAt?.toISOString() ?? null,
    failingSince: endpoint.failingSince?.toISOString() ?? null,
  }));
};
