-- CreateIndex
CREATE INDEX "EmailSuppression_createdAt_memberId_idx" ON "EmailSuppression"("createdAt" DESC, "memberId" DESC);

-- CreateIndex
CREATE INDEX "EmailSuppression_reason_createdAt_memberId_idx" ON "EmailSuppression"("reason", "createdAt" DESC, "memberId" DESC);

