-- The console's webhook commands are audited: a test event, and a replay of failed deliveries.
ALTER TYPE "AuditAction" ADD VALUE 'webhook_test';
ALTER TYPE "AuditAction" ADD VALUE 'webhook_replay';

-- "Replay all failed" (and a receiver back after failing): every pending delivery last tried
-- before this time is due again at once, whatever its backoff says; the claim finds them by the
-- index below, so asking costs one row's update however many deliveries failed.
ALTER TABLE "WebhookEndpoint" ADD COLUMN "replayRequestedAt" TIMESTAMPTZ(3);

-- Only deliveries tried already: a new one (the form's statement inserts it) does not enter it,
-- so the hot path writes no extra index entry; the worker's claim adds it.
CREATE INDEX "WebhookDelivery_pending_tried_idx" ON "WebhookDelivery"("endpointId", "lastAttemptAt") WHERE status = 'pending' AND "lastAttemptAt" IS NOT NULL;

-- Nothing reads events by objection, and an objection is never deleted (its ObjectionEvent rows
-- restrict it): the index cost the form's statement an entry for nothing.
DROP INDEX "WebhookEvent_objectionId_idx";
