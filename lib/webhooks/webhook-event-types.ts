/** The event types an endpoint may listen for, as the API names them and the database stores them (enum "WebhookEventType"). */
export const WEBHOOK_EVENT_TYPES = ["objection.effective", "objection.withdrawn"] as const;
export type TWebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number] | "webhook.test";

/** The Prisma client's names of the enum's values. */
export const PRISMA_EVENT_TYPE = { "objection.effective": "objection_effective", "objection.withdrawn": "objection_withdrawn", "webhook.test": "webhook_test" } as const;
export const apiEventType = (type: (typeof PRISMA_EVENT_TYPE)[TWebhookEventType]) =>
  (Object.entries(PRISMA_EVENT_TYPE).find(([, prisma]) => prisma === type)![0]) as TWebhookEventType;
