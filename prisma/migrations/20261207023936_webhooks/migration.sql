-- The platform's webhook commands are audited.
ALTER TYPE "AuditAction" ADD VALUE 'webhook_create';
ALTER TYPE "AuditAction" ADD VALUE 'webhook_delete';
ALTER TYPE "AuditAction" ADD VALUE 'webhook_rotate_secret';
ALTER TYPE "AuditTarget" ADD VALUE 'webhook';

-- CreateEnum
CREATE TYPE "WebhookEventType" AS ENUM ('objection.effective', 'objection.withdrawn', 'webhook.test');

-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('pending', 'delivered');

-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "url" VARCHAR(2000) NOT NULL,
    "events" "WebhookEventType"[],
    "secret" TEXT NOT NULL,
    "previousSecret" TEXT,
    "previousSecretUntil" TIMESTAMPTZ(3),
    "failingSince" TIMESTAMPTZ(3),
    "disabledAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" BIGSERIAL NOT NULL,
    "type" "WebhookEventType" NOT NULL,
    "objectionId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" BIGSERIAL NOT NULL,
    "endpointId" UUID NOT NULL,
    "eventId" BIGINT NOT NULL,
    "orderKey" UUID NOT NULL,
    "objectionId" UUID,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastAttemptAt" TIMESTAMPTZ(3),
    "lastStatusCode" INTEGER,
    "lastLatencyMs" INTEGER,
    "lastError" VARCHAR(500),
    "deliveredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WebhookEvent_objectionId_idx" ON "WebhookEvent"("objectionId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_eventId_idx" ON "WebhookDelivery"("eventId");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_endpointId_eventId_key" ON "WebhookDelivery"("endpointId", "eventId");

-- AddForeignKey
ALTER TABLE "WebhookEvent" ADD CONSTRAINT "WebhookEvent_objectionId_fkey" FOREIGN KEY ("objectionId") REFERENCES "Objection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "WebhookEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Partial indexes Prisma cannot express. Only pending deliveries are in them, so they stay small
-- however many deliveries have been made.
-- A claim reads each endpoint's due deliveries, oldest due first.
CREATE INDEX "WebhookDelivery_due_idx" ON "WebhookDelivery"("endpointId", "nextAttemptAt") WHERE status = 'pending';
-- A delivery waits while an earlier one to the same endpoint, for the same member or objection, is pending.
CREATE INDEX "WebhookDelivery_pending_order_idx" ON "WebhookDelivery"("endpointId", "orderKey", "eventId") WHERE status = 'pending';
CREATE INDEX "WebhookDelivery_pending_objection_idx" ON "WebhookDelivery"("endpointId", "objectionId", "eventId") WHERE status = 'pending';
-- The daily prune deletes delivered deliveries past their retention, oldest first, from this index alone.
CREATE INDEX "WebhookDelivery_delivered_idx" ON "WebhookDelivery"("deliveredAt") WHERE status = 'delivered';
