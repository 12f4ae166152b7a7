-- AlterEnum
ALTER TYPE "CampaignStatus" ADD VALUE 'failed';

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "failedAt" TIMESTAMPTZ(3),
ADD COLUMN     "failureReason" TEXT;

