-- AlterEnum
ALTER TYPE "ObjectionEventType" ADD VALUE 'unmatched';

-- AlterEnum
ALTER TYPE "AuditAction" ADD VALUE 'objection_unmatch';

