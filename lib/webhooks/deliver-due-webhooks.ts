import "server-only";

import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { pgPool } from "@/lib/pg";
import { sendWebhook, type TSendOutcome } from "@/lib/webhooks/send-webhook";
import { CLAIM_DELIVERIES_SQL, claimLeaseSeconds, ENABLED_ENDPOINTS_SQL, RECORD_OUTCOMES_SQL, type TClaimedDeliveryRow } from "@/lib/webhooks/webhook-delivery-sql";
import { resolveWebhookTarget, type TResolveHost } from "@/lib/webhooks/webhook-target";

/** What a console's test sends as data: no objection's, and it says what it is. */
export const TEST_EVENT_DATA = { test: true, message: "A test from the Objection console: no objection changed." } as const;

/** The body Standard Webhooks receivers get: the event's type and time, and the export row's fields (a test's own data). */
export const webhookBody = (row: TClaimedDeliveryRow) => {
  if (row.type === "webhook.test") return JSON.stringify({ type: row.type, timestamp: row.createdAt.toISOString(), data: TEST_EVENT_DATA });
  const { objection_id, member_external_id, email_hmac, country, source, effective_at, withdrawn_at } = row;
  const data = { objection_id, member_external_id, email_hmac, country, source, effective_at, ...(row.type === "objection.withdrawn" ? { withdrawn_at } : {}) };
  return JSON.stringify({ type: row.type, timestamp: row.createdAt.toISOString(), data });
};

/**
 * One round for one endpoint: claims its due deliveries (at most WEBHOOK_ENDPOINT_CONCURRENCY),
 * sends them side by side, and records every outcome in one statement. Resolves to the number
 * claimed. The host is resolved and checked again here (SSRF), and each connection goes to that address.
 */
export const deliverDueWebhooksTo = async ({ endpointId, resolve }: { endpointId: string; resolve?: TResolveHost }) => {
  const { EXPORT_HASH_KEY: hashKey, WEBHOOK_ENDPOINT_CONCURRENCY: perEndpoint, WEBHOOK_TIMEOUT_SECONDS: timeoutSeconds } = env();
  if (!hashKey) return 0;
  const { rows } = await pgPool().query<TClaimedDeliveryRow>(CLAIM_DELIVERIES_SQL, [hashKey, perEndpoint, claimLeaseSeconds(timeoutSeconds), endpointId]);
  if (rows.length === 0) return 0;
  // Resolved and checked once a round; a refused or unresolvable host fails the round's deliveries.
  const target = await resolveWebhookTarget({ url: rows[0]!.url, resolve }).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  const outcomes = await Promise.all(
    rows.map(async (row): Promise<TSendOutcome> => {
      if (target instanceof Error) return { ok: false, code: null, latencyMs: 0, error: target.message };
      const secrets = row.previousSecret ? [row.secret, row.previousSecret] : [row.secret];
      return sendWebhook({ endpointId: row.endpointId, target, maxSockets: perEndpoint, timeoutMs: timeoutSeconds * 1000, message: { id: `msg_${row.eventId}`, body: webhookBody(row), secrets } });
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
  if (failed > 0) logger().warn({ event: "webhook_deliveries_failed", endpointId, failed, claimed: rows.length }, "webhook deliveries failed; they are retried");
  return rows.length;
};

/** One round for every enabled endpoint, side by side (tests and benchmarks; the worker runs a loop per endpoint). Resolves to the number claimed. */
export const deliverDueWebhooks = async ({ resolve }: { resolve?: TResolveHost } = {}) => {
  const { rows } = await pgPool().query<{ id: string }>(ENABLED_ENDPOINTS_SQL);
  const claimed = await Promise.all(rows.map(({ id }) => deliverDueWebhooksTo({ endpointId: id, resolve })));
  return claimed.reduce((sum, count) => sum + count, 0);
};
