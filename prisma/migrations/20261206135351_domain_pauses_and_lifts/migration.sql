-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "AuditAction" ADD VALUE 'suppression_lift';
ALTER TYPE "AuditAction" ADD VALUE 'domain_pause';
ALTER TYPE "AuditAction" ADD VALUE 'domain_resume';

-- AlterTable
ALTER TABLE "AuditEvent" ALTER COLUMN "actorId" DROP NOT NULL;

-- CreateTable
CREATE TABLE "CampaignDomainWindow" (
    "campaignId" UUID NOT NULL,
    "domain" TEXT NOT NULL,
    "windowStart" TIMESTAMPTZ(3) NOT NULL,
    "sent" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CampaignDomainWindow_pkey" PRIMARY KEY ("campaignId","domain","windowStart")
);

-- CreateTable
CREATE TABLE "CampaignDomainPause" (
    "campaignId" UUID NOT NULL,
    "domain" TEXT NOT NULL,
    "pausedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,
    "lastStatus" TEXT,
    "lastDiagnostic" TEXT,

    CONSTRAINT "CampaignDomainPause_pkey" PRIMARY KEY ("campaignId","domain")
);

-- AddForeignKey
ALTER TABLE "CampaignDomainPause" ADD CONSTRAINT "CampaignDomainPause_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

