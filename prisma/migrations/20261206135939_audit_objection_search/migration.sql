-- AlterEnum
ALTER TYPE "AuditAction" ADD VALUE 'objection_search';

