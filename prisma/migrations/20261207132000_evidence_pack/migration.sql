-- The evidence pack of a campaign (lib/evidence, docs/evidence.md).

-- AlterEnum: its download is audited.
ALTER TYPE "AuditAction" ADD VALUE 'evidence_download';

-- CreateIndex: the pack's audit.jsonl reads a campaign's events in order, without a scan of the log.
CREATE INDEX "AuditEvent_targetType_targetId_id_idx" ON "AuditEvent"("targetType", "targetId", "id");

-- The pack's summary counts a campaign's withdrawn objections and lists its rejected ones with
-- their reasons. Objections through a campaign's notices are counted by CampaignCounter; the few
-- that are no longer effective are found here, without a scan of every objection. Partial, so it
-- holds only those (Prisma's schema cannot say so: it lives in this file alone).
CREATE INDEX "Objection_campaignId_not_effective_idx" ON "Objection"("campaignId", status) WHERE status <> 'effective';
