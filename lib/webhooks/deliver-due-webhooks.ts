import "server-only";

import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { pgPool } from "@/lib/pg";
import { sendWebhook, type TSendOutcome } from "@/lib/webhooks/send-webhook";
import { CLAIM_DELIVERIES_SQL, CLAIM_LEASE_SECONDS, RECORD_OUTCOMES_SQL, type TClaimedDeliveryRow } from "@/lib/webhooks/webhook-delivery-sql";
import { resolveWebhookTarget, type TResolveHost, type TWebhookTarget } from "@/lib/webhooks/webhook-target";

/** What a console's test sends as data: no objection's, and it says what it is. */
export const TEST_EVENT_DATA = { test: true, message: "A test from the Objection console: no objection changed." } as const;

/** The body Standard Webhooks receivers get: the event's type and time, and the export row's fields (a test's own data). */
export const webhookBody = (row: TClaimedDeliveryRow) => {
  if (row.type === "webhook.test") return JSON.stringify({ type: row.type, timestamp: row.createdAt.toISOString(), data: TEST_EVENT_DATA });
  const { objection_id, member_external_id, email_hmac, country, source, effective_at, withdrawn_at } = row;
  const data = { objection_id, member_external_id, email_hmac, country, source, effective_at, ...(row.type === "objection.withdrawn" ? { withdrawn_at } : {}) };
  return JSON.stringify({ type: row.type, timestamp: row.createdAt.toISOString(), data });
};

/** The endpoint's target, resolved and checked once per batch; a refused or unresolvable one fails its deliveries. */
const targetsOf = async ({ rows, resolve }: { rows: TClaimedDeliveryRow[]; resolve?: TResolveHost }) => {
  const urls = new Map(rows.map((row) => [row.endpointId, row.url]));
  const targets = new Map<string, TWebhookTarget | Error>();
  await Promise.all(
    [...urls].map(async ([endpointId, url]) => {
      targets.set(endpointId, await resolveWebhookTarget({ url, resolve }).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))));
    }),
  );
  return targets;
};

/**
 * One round: claims the due deliveries (at most WEBHOOK_ENDPOINT_CONCURRENCY per endpoint), sends
 * them side by side, and records every outcome in one statement. Resolves to the number claimed.
 * The host is resolved and checked again here (SSRF), and each connection goes to that address.
 */
export const deliverDueWebhooks = async ({ resolve }: { resolve?: TResolveHost } = {}) => {
  const { EXPORT_HASH_KEY: hashKey, WEBHOOK_ENDPOINT_CONCURRENCY: perEndpoint } = env();
  if (!hashKey) return 0;
  const { rows } = await pgPool().query<TClaimedDeliveryRow>(CLAIM_DELIVERIES_SQL, [hashKey, perEndpoint, CLAIM_LEASE_SECONDS]);
  if (rows.length === 0) return 0;
  const targets = await targetsOf({ rows, resolve });
  const outcomes = await Promise.all(
    rows.map(async (row): Promise<TSendOutcome> => {
      const target = targets.get(row.endpointId)!;
      if (target instanceof Error) return { ok: false, code: null, latencyMs: 0, error: target.message };
      const secrets = row.previousSecret ? [row.secret, row.previousSecret] : [row.secret];
      return sendWebhook({ endpointId: row.endpointId, target, maxSockets: perEndpoint, message: { id: `msg_${row.eventId}`, body: webhookBody(row), secrets } });
    }),
  );
  await pgPool().query(RECORD_OUTCOMES_SQL, [
    rows.map((row) => row.id),
    outcomes.map((outcome) => outcome.ok),
    outcomes.map((outcome) => outcome.code),
    outcomes.map((outcome) => outcome.latencyMs),
    outcomes.map((outcome) => outcome.error),
  ]);
  const failed = outcomes.filter((outcome) => !outcome.ok).length;
  if (failed > 0) logger().warn({ event: "webhook_deliveries_failed", failed, claimed: rows.length }, "webhook deliveries failed; they are retried");
  return rows.length;
};
