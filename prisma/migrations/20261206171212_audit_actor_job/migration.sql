-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "actorJob" TEXT;


-- An admin's event names the admin; the platform's and the system's name none, and only the
-- system's names the job that acted.
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_actor_columns" CHECK (
  ("actorType" = 'admin') = ("actorId" IS NOT NULL) AND ("actorJob" IS NULL OR "actorType" = 'system')
);
