import "server-only";

import { EXPORTED_ROW } from "@/lib/exports/export-run-sql";
import type { TWebhookEventType } from "@/lib/webhooks/webhook-event-types";

/**
 * How long a claimed delivery stays a worker's: past it (the worker died), another takes it again.
 * Three times the receiver's timeout, so a live worker's round (a lookup, then sends side by side,
 * each ending by the timeout) ends well inside its lease and no delivery is sent twice for it.
 */
export const claimLeaseSeconds = (timeoutSeconds: number) => 3 * timeoutSeconds;

/** A claimed delivery, with its endpoint's secrets and its event's data: the export's row fields (lib/exports/export-run-sql.ts), all null for webhook.test. */
export type TClaimedDeliveryRow = {
  id: string;
  endpointId: string;
  url: string;
  secret: string;
  previousSecret: string | null;
  eventId: string;
  type: TWebhookEventType;
  createdAt: Date;
  objection_id: string | null;
  member_external_id: string | null;
  email_hmac: string | null;
  country: string | null;
  source: string | null;
  effective_at: string | null;
  withdrawn_at: string | null;
};

/** The order rule, on a candidate delivery d: no earlier one to its endpoint, for its member or objection, is pending (in flight or failing). */
const NO_EARLIER_PENDING = `NOT EXISTS (
            SELECT 1 FROM "WebhookDelivery" p
             WHERE p."endpointId" = d."endpointId" AND p.status = 'pending' AND p."eventId" < d."eventId"
               AND (p."orderKey" = d."orderKey" OR p."objectionId" = d."objectionId"))`;

/**
 * Claims due deliveries to endpoint $4, at most $2, for a lease of $3 seconds; $1 is the export's
 * hash key. (Each worker claims for each endpoint on its own, so a slow receiver holds up only its own.) A delivery is due when its time comes, or, after an admin's "replay all
 * failed", when it was last tried before that. A delivery waits while an earlier one to its
 * endpoint, for the same member or objection, is pending: a withdrawal never overtakes its
 * objection. Each endpoint's candidates come from the partial indexes of pending ones, so the
 * claim reads no more than it takes, however many deliveries were ever made. SKIP LOCKED: workers
 * side by side take different rows. The claim stamps "lastAttemptAt", so a replayed delivery is
 * taken once.
 */
export const CLAIM_DELIVERIES_SQL = `
  WITH due_now AS (
    SELECT e.id AS "endpointId", d.id FROM "WebhookEndpoint" e
     CROSS JOIN LATERAL (
       SELECT d.id FROM "WebhookDelivery" d
        WHERE d."endpointId" = e.id AND d.status = 'pending' AND d."nextAttemptAt" <= now() AND ${NO_EARLIER_PENDING}
        ORDER BY d."nextAttemptAt"
        LIMIT $2
        FOR UPDATE SKIP LOCKED
     ) d
     WHERE e.id = $4::uuid AND e."disabledAt" IS NULL
  ), due_replayed AS (
    -- Its own statement part, as FOR UPDATE may not be in a UNION: the endpoint's room left under $2.
    SELECT d.id FROM "WebhookEndpoint" e
     CROSS JOIN LATERAL (
       SELECT d.id FROM "WebhookDelivery" d
        WHERE d."endpointId" = e.id AND d.status = 'pending' AND d."lastAttemptAt" < e."replayRequestedAt" AND d."nextAttemptAt" > now() AND ${NO_EARLIER_PENDING}
        ORDER BY d."lastAttemptAt"
        LIMIT greatest(0, $2 - (SELECT count(*) FROM due_now n WHERE n."endpointId" = e.id))
        FOR UPDATE SKIP LOCKED
     ) d
     WHERE e.id = $4::uuid AND e."disabledAt" IS NULL AND e."replayRequestedAt" IS NOT NULL
  ), claimed AS (
    -- By the primary key, from an array: a join with the CTE let the planner scan the whole table.
    UPDATE "WebhookDelivery" d SET attempts = d.attempts + 1, "lastAttemptAt" = now(), "nextAttemptAt" = now() + $3 * interval '1 second'
     WHERE d.id = ANY (ARRAY(SELECT id FROM due_now UNION ALL SELECT id FROM due_replayed))
    RETURNING d.id, d."endpointId", d."eventId"
  )
  SELECT c.id::text AS id, e.id AS "endpointId", e.url, e.secret,
         CASE WHEN e."previousSecretUntil" > now() THEN e."previousSecret" END AS "previousSecret",
         ev.id::text AS "eventId", ev.type::text AS type, ev."createdAt",
         o.id AS objection_id, ${EXPORTED_ROW},
         to_char(o."withdrawnAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS withdrawn_at
    FROM claimed c
    JOIN "WebhookEndpoint" e ON e.id = c."endpointId"
    JOIN "WebhookEvent" ev ON ev.id = c."eventId"
    -- None for webhook.test.
    LEFT JOIN "Objection" o ON o.id = ev."objectionId"
    LEFT JOIN "Member" m ON m.id = o."memberId"
   ORDER BY c."eventId"`;

/**
 * A batch's outcomes, in one statement: ids $1, acknowledged $2, HTTP status $3, latency in ms $4,
 * error $5 (arrays in step). An acknowledged delivery is done, and its endpoint is failing no
 * more: its other failed deliveries are due at once. A failed one is due again: every 1, 2, 4 … up to 30 s during the first 10 minutes of its
 * endpoint's failure, then after a sixth of the time the endpoint has been failing (so the
 * waits grow exponentially), at most 6 hours. An endpoint failing for 3 days is disabled.
 */
export const RECORD_OUTCOMES_SQL = `
  WITH outcome AS (
    SELECT * FROM unnest($1::bigint[], $2::boolean[], $3::int[], $4::int[], $5::text[]) AS o(id, ok, code, latency, error)
  ), delivery AS (
    UPDATE "WebhookDelivery" d
       SET status = CASE WHEN o.ok THEN 'delivered' ELSE 'pending' END::"WebhookDeliveryStatus",
           "deliveredAt" = CASE WHEN o.ok THEN now() END,
           "lastAttemptAt" = now(), "lastStatusCode" = o.code, "lastLatencyMs" = o.latency, "lastError" = left(o.error, 500),
           "nextAttemptAt" = CASE
             WHEN o.ok THEN d."nextAttemptAt"
             WHEN e."failingSince" IS NULL OR e."failingSince" > now() - interval '10 minutes' THEN now() + least(30, power(2, least(d.attempts - 1, 5))) * interval '1 second'
             ELSE now() + least(interval '6 hours', greatest(interval '30 seconds', (now() - e."failingSince") / 6))
           END
      FROM outcome o, "WebhookEndpoint" e
     WHERE d.id = ANY ($1::bigint[]) AND d.id = o.id AND e.id = d."endpointId"
    RETURNING d."endpointId", o.ok
  ), endpoint AS (
    SELECT "endpointId", bool_or(ok) AS any_ok FROM delivery GROUP BY "endpointId"
  )
  UPDATE "WebhookEndpoint" e
     SET "failingSince" = CASE WHEN x.any_ok THEN NULL ELSE coalesce(e."failingSince", now()) END,
         -- Back after failing: every delivery waiting out a backoff is due at once (as "replay all
         -- failed" makes them), so the backlog goes out in seconds, not after its longest wait.
         "replayRequestedAt" = CASE WHEN x.any_ok THEN now() ELSE e."replayRequestedAt" END,
         "disabledAt" = CASE WHEN NOT x.any_ok AND e."failingSince" < now() - interval '3 days' THEN coalesce(e."disabledAt", now()) ELSE e."disabledAt" END
    FROM endpoint x
   WHERE e.id = x."endpointId"
     -- Only a change: every round rewriting each endpoint's row would leave a dead row a round.
     AND ((x.any_ok AND e."failingSince" IS NOT NULL)
          OR (NOT x.any_ok AND (e."failingSince" IS NULL OR (e."failingSince" < now() - interval '3 days' AND e."disabledAt" IS NULL))))`;

/** The endpoints deliveries may go to: each gets a delivery loop of its own in every worker. */
export const ENABLED_ENDPOINTS_SQL = `SELECT id FROM "WebhookEndpoint" WHERE "disabledAt" IS NULL`;

/** The endpoints disabled after failing, for /api/metrics. */
export const DISABLED_ENDPOINTS_SQL = `SELECT count(*)::int AS disabled FROM "WebhookEndpoint" WHERE "disabledAt" IS NOT NULL`;

/**
 * Up to $2 deliveries acknowledged before $1, oldest first, from the partial index of delivered
 * ones; the events they were for. Pending deliveries are never pruned.
 */
export type TPrunedRow = { deleted: number; eventIds: string[] };
export const PRUNE_DELIVERIES_SQL = `
  WITH gone AS (
    DELETE FROM "WebhookDelivery"
     WHERE id = ANY (ARRAY(SELECT id FROM "WebhookDelivery" WHERE status = 'delivered' AND "deliveredAt" < $1 ORDER BY "deliveredAt" LIMIT $2))
    RETURNING "eventId"
  )
  SELECT count(*)::int AS deleted, coalesce(array_agg(DISTINCT "eventId"::text), '{}') AS "eventIds" FROM gone`;

/** The events $1 (bigint[]) no delivery is left for. */
export const PRUNE_EVENTS_SQL = `DELETE FROM "WebhookEvent" ev WHERE ev.id = ANY($1::bigint[]) AND NOT EXISTS (SELECT 1 FROM "WebhookDelivery" d WHERE d."eventId" = ev.id)`;
