-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "onlyNotYetReached" BOOLEAN NOT NULL DEFAULT false;


-- The dashboard's "Needs attention" counts each read at most 101 entries of one of these partial
-- indexes on every view (lib/dashboard/needs-attention.ts): they hold only what waits for a person,
-- so they stay small however many objections and campaigns there are.
CREATE INDEX "Objection_rejection_pending_idx" ON "Objection"("rejectionRequestedAt") WHERE "rejectionRequestedAt" IS NOT NULL AND "status" = 'effective';
CREATE INDEX "Objection_unmatched_idx" ON "Objection"("effectiveAt" DESC, "id" DESC) WHERE "memberId" IS NULL AND "status" = 'effective';
CREATE INDEX "Campaign_needs_attention_idx" ON "Campaign"("updatedAt" DESC) WHERE "status" IN ('paused', 'failed');
