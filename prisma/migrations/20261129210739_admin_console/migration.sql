-- CreateEnum
CREATE TYPE "AdminRole" AS ENUM ('viewer', 'reviewer', 'admin');

-- CreateEnum
CREATE TYPE "AuditAction" AS ENUM ('sign_in', 'sign_out', 'invitation', 'role_change', 'access_removed', 'reveal', 'objection_note', 'objection_match', 'objection_spam', 'objection_rejection_request', 'objection_rejection_approve', 'objection_rejection_cancel', 'objections_download', 'objections_import', 'campaign_create', 'campaign_launch', 'campaign_pause', 'campaign_resume', 'campaign_test_email', 'export_start', 'export_download');

-- AlterEnum
ALTER TYPE "ObjectionSource" ADD VALUE 'prior';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ObjectionEventType" ADD VALUE 'note_added';
ALTER TYPE "ObjectionEventType" ADD VALUE 'marked_spam';
ALTER TYPE "ObjectionEventType" ADD VALUE 'rejection_requested';
ALTER TYPE "ObjectionEventType" ADD VALUE 'rejection_cancelled';

-- AlterTable
ALTER TABLE "Objection" ADD COLUMN     "rejectedAt" TIMESTAMPTZ(3),
ADD COLUMN     "rejectionReason" VARCHAR(2000),
ADD COLUMN     "rejectionRequestedAt" TIMESTAMPTZ(3),
ADD COLUMN     "rejectionRequestedBy" UUID,
ADD COLUMN     "spamAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "AdminUser" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "role" "AdminRole" NOT NULL DEFAULT 'viewer',
    "emailVerified" TIMESTAMPTZ(3),
    "invitedById" UUID,
    "disabledAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdminUser_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AdminSession" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "sessionToken" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "expires" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdminSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AdminVerificationToken" (
    "token" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "expires" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AdminVerificationToken_pkey" PRIMARY KEY ("token")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "actorId" UUID NOT NULL,
    "action" "AuditAction" NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "detail" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DashboardSummary" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "data" JSONB NOT NULL,
    "computedAt" TIMESTAMPTZ(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,

    CONSTRAINT "DashboardSummary_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AdminUser_email_key" ON "AdminUser"("email");

-- CreateIndex
CREATE UNIQUE INDEX "AdminSession_sessionToken_key" ON "AdminSession"("sessionToken");

-- CreateIndex
CREATE INDEX "AdminSession_userId_idx" ON "AdminSession"("userId");

-- CreateIndex
CREATE INDEX "AuditEvent_createdAt_id_idx" ON "AuditEvent"("createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_createdAt_idx" ON "AuditEvent"("actorId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_action_createdAt_idx" ON "AuditEvent"("action", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Objection_effectiveAt_id_idx" ON "Objection"("effectiveAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "Objection_country_effectiveAt_id_idx" ON "Objection"("country", "effectiveAt" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "AdminSession" ADD CONSTRAINT "AdminSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "AdminUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "AdminUser"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- A rejection is pending (requested, not yet approved) or done; never half of either.
ALTER TABLE "Objection" ADD CONSTRAINT "Objection_rejection_request" CHECK (("rejectionRequestedBy" IS NULL) = ("rejectionRequestedAt" IS NULL) AND ("rejectionRequestedBy" IS NULL OR "rejectionReason" IS NOT NULL));
ALTER TABLE "Objection" ADD CONSTRAINT "Objection_rejected_at" CHECK (("status" = 'rejected') = ("rejectedAt" IS NOT NULL));

-- One summary row.
ALTER TABLE "DashboardSummary" ADD CONSTRAINT "DashboardSummary_single_row" CHECK ("id" = 1);

-- The audit trail is append-only, like ObjectionEvent.
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "AuditEvent_append_only" BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
