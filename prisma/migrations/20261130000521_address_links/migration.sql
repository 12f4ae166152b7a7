-- CreateTable
CREATE TABLE "AddressLink" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "locale" TEXT,
    "country" CHAR(2),
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AddressLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AddressLink_expiresAt_idx" ON "AddressLink"("expiresAt");


-- One live objection per address among those made through an /object email link without an
-- account: a repeat, even a concurrent one, returns the first (ON CONFLICT waits for it).
-- Imported ('prior') objections are left out: an import may hold one address more than once.
CREATE UNIQUE INDEX "Objection_one_live_direct_per_unmatched_email" ON "Objection"("email") WHERE "memberId" IS NULL AND "status" = 'effective' AND "source" = 'direct';
