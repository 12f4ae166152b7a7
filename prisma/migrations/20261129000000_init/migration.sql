-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "NotificationChannel" AS ENUM ('email', 'in_app');

-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('queued', 'sent', 'failed', 'seen', 'clicked');

-- CreateEnum
CREATE TYPE "ObjectionSource" AS ENUM ('email_link', 'in_app_link', 'direct', 'gpc', 'in_app_setting');

-- CreateEnum
CREATE TYPE "ObjectionStatus" AS ENUM ('effective', 'withdrawn', 'rejected');

-- CreateEnum
CREATE TYPE "ObjectionEventType" AS ENUM ('created', 'receipt_sent', 'receipt_failed', 'withdrawn', 'rejected', 'matched');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('member', 'admin', 'system');

-- CreateTable
CREATE TABLE "Member" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "externalId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "country" CHAR(2) NOT NULL,
    "birthDate" DATE NOT NULL,
    "locale" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "memberId" UUID NOT NULL,
    "channel" "NotificationChannel" NOT NULL,
    "status" "NotificationStatus" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMPTZ(3),
    "seenAt" TIMESTAMPTZ(3),
    "clickedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Objection" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "memberId" UUID,
    "notificationId" UUID,
    "email" TEXT NOT NULL,
    "country" CHAR(2) NOT NULL,
    "reason" VARCHAR(2000),
    "source" "ObjectionSource" NOT NULL,
    "status" "ObjectionStatus" NOT NULL DEFAULT 'effective',
    "effectiveAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawnAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Objection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ObjectionEvent" (
    "id" BIGSERIAL NOT NULL,
    "objectionId" UUID NOT NULL,
    "type" "ObjectionEventType" NOT NULL,
    "actorType" "ActorType" NOT NULL,
    "actorId" TEXT,
    "detail" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ObjectionEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Member_externalId_key" ON "Member"("externalId");

-- CreateIndex
CREATE INDEX "Member_email_idx" ON "Member"("email");

-- CreateIndex
CREATE INDEX "Notification_memberId_idx" ON "Notification"("memberId");

-- CreateIndex
CREATE INDEX "Objection_memberId_idx" ON "Objection"("memberId");

-- CreateIndex
CREATE INDEX "Objection_notificationId_idx" ON "Objection"("notificationId");

-- CreateIndex
CREATE INDEX "Objection_email_idx" ON "Objection"("email");

-- CreateIndex
CREATE INDEX "ObjectionEvent_objectionId_createdAt_idx" ON "ObjectionEvent"("objectionId", "createdAt");

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Objection" ADD CONSTRAINT "Objection_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Objection" ADD CONSTRAINT "Objection_notificationId_fkey" FOREIGN KEY ("notificationId") REFERENCES "Notification"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ObjectionEvent" ADD CONSTRAINT "ObjectionEvent_objectionId_fkey" FOREIGN KEY ("objectionId") REFERENCES "Objection"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written: constraints Prisma's schema language cannot express.

-- At most one live objection per member: a second submission finds the first.
CREATE UNIQUE INDEX "Objection_one_live_per_member" ON "Objection"("memberId") WHERE "status" = 'effective';

ALTER TABLE "Member" ADD CONSTRAINT "Member_country_iso" CHECK ("country" ~ '^[A-Z]{2}$');
ALTER TABLE "Objection" ADD CONSTRAINT "Objection_country_iso" CHECK ("country" ~ '^[A-Z]{2}$');
ALTER TABLE "Objection" ADD CONSTRAINT "Objection_withdrawn_at" CHECK (("status" = 'withdrawn') = ("withdrawnAt" IS NOT NULL));

-- The audit trail is append-only.
CREATE FUNCTION objection_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ObjectionEvent is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "ObjectionEvent_append_only" BEFORE UPDATE OR DELETE ON "ObjectionEvent"
  FOR EACH ROW EXECUTE FUNCTION objection_event_append_only();
CREATE TRIGGER "ObjectionEvent_no_truncate" BEFORE TRUNCATE ON "ObjectionEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION objection_event_append_only();
