-- CreateEnum
CREATE TYPE "AuditTarget" AS ENUM ('objection', 'campaign', 'export', 'admin', 'member');

-- AlterTable: convert in place (Prisma's diff would drop and re-add the column, losing every
-- existing event's target). Every writer so far wrote one of the five values above, so the cast
-- cannot fail; a row that somehow holds another value stops the migration rather than losing it.
-- ALTER ... TYPE rewrites the table without firing the append-only UPDATE trigger.
ALTER TABLE "AuditEvent" ALTER COLUMN "targetType" TYPE "AuditTarget" USING "targetType"::"AuditTarget";
