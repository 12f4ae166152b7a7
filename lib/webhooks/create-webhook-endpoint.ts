import "server-only";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assertPlatformOrRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import type { TCreateWebhook } from "@/lib/webhooks/schema";
import { PRISMA_EVENT_TYPE } from "@/lib/webhooks/webhook-event-types";
import { newWebhookSecret } from "@/lib/webhooks/webhook-secret";
import { resolveWebhookTarget, type TResolveHost } from "@/lib/webhooks/webhook-target";

/**
 * The most endpoints a deployment has: every objection's statement writes a delivery to each one
 * listening (lib/webhooks/webhook-outbox-sql.ts), so their number bounds the hot path's extra work.
 */
export const MAX_WEBHOOK_ENDPOINTS = 10;

/**
 * Registers an endpoint for the platform or an admin (audited) and returns it with its new secret, shown this once. AppError `invalid`
 * (422) for a URL the SSRF rules refuse, `conflict` (409) past MAX_WEBHOOK_ENDPOINTS, and
 * `not_configured` (503) without EXPORT_HASH_KEY: events carry the export's email_hmac.
 */
export const createWebhookEndpoint = async ({ actor, url, events, resolve }: TCreateWebhook & { actor: TActor; resolve?: TResolveHost }) => {
  assertPlatformOrRole(actor, "admin");
  if (!env().EXPORT_HASH_KEY) throw new AppError("not_configured", { message: "Webhooks are off: set EXPORT_HASH_KEY on the server (events carry the export's email_hmac)." });
  const target = await resolveWebhookTarget({ url, resolve });
  if ((await db().webhookEndpoint.count()) >= MAX_WEBHOOK_ENDPOINTS) {
    throw new AppError("conflict", { message: `There are ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints already, the most there may be: delete one first.` });
  }
  const secret = newWebhookSecret();
  const created = await db().$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.create({ data: { url: target.url.toString(), events: events.map((event) => PRISMA_EVENT_TYPE[event]), secret }, select: { id: true, url: true } });
    await recordAuditEvent(tx, { actor, action: "webhook_create", target: { type: "webhook", id: endpoint.id }, detail: { events } });
    return endpoint;
  });
  return { ...created, events, secret };
};
