import { z } from "zod";

import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/webhook-event-types";

export const ZWebhookEventType = z.enum(WEBHOOK_EVENT_TYPES, { error: `each event must be one of: ${WEBHOOK_EVENT_TYPES.join(", ")}` });

export const ZCreateWebhook = z.object({
  url: z
    .string({ error: "url is required: the receiver's https:// URL" })
    .max(2000, { error: "url must be at most 2,000 characters" })
    .meta({ description: "The receiver: https:// only, on a public address (WEBHOOK_ALLOW_PRIVATE=1 allows private and loopback http:// targets). Link-local addresses are always refused." }),
  events: z
    .array(ZWebhookEventType, { error: `events must be a list of: ${WEBHOOK_EVENT_TYPES.join(", ")}` })
    .min(1, { error: "events must name at least one event" })
    .refine((events) => new Set(events).size === events.length, { error: "events must not repeat an event" }),
});
export type TCreateWebhook = z.infer<typeof ZCreateWebhook>;

const endpointFields = {
  id: z.uuid(),
  url: z.string(),
  events: z.array(ZWebhookEventType),
};

export const ZWebhookEndpoint = z.object({
  ...endpointFields,
  createdAt: z.iso.datetime(),
  disabledAt: z.iso.datetime().nullable().meta({ description: "Set when the endpoint failed for 3 days: nothing is delivered to it since." }),
  failingSince: z.iso.datetime().nullable().meta({ description: "The first failed delivery since the last success; null while deliveries succeed." }),
});

export const ZWebhookEndpoints = z.object({ webhooks: z.array(ZWebhookEndpoint) });

export const ZWebhookCreated = z.object({
  ...endpointFields,
  secret: z.string().meta({ description: "The signing secret, `whsec_<base64>` (Standard Webhooks). Shown this once: store it." }),
});

export const ZWebhookSecretRotated = z.object({
  id: z.uuid(),
  secret: z.string().meta({ description: "The new signing secret, shown this once." }),
  previousSecretValidUntil: z.iso.datetime().meta({ description: "Until then, every delivery carries a signature with the old secret too." }),
});

/** The console's forms (adding one uses ZCreateWebhook, as the API does): an endpoint, and one of its deliveries (ids as the page has them). */
export const ZWebhookEndpointRef = z.object({ endpointId: z.uuid({ error: "This endpoint id is malformed. Reload the page." }) });
export type TWebhookEndpointRef = z.infer<typeof ZWebhookEndpointRef>;

export const ZReplayWebhookDelivery = ZWebhookEndpointRef.extend({
  deliveryId: z.string().regex(/^[1-9]\d{0,18}$/, { error: "This delivery id is malformed. Reload the page." }),
});
export type TReplayWebhookDelivery = z.infer<typeof ZReplayWebhookDelivery>;

/** The console's page of older deliveries: an event id from its "Older" link. */
export const ZDeliveriesBefore = z.string().regex(/^[1-9]\d{0,18}$/).optional().catch(undefined);
