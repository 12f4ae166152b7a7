-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('draft', 'running', 'paused', 'done');

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "batch" INTEGER,
ADD COLUMN     "campaignId" UUID;

-- CreateTable
CREATE TABLE "Campaign" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "channels" "NotificationChannel"[],
    "countries" TEXT[],
    "status" "CampaignStatus" NOT NULL DEFAULT 'draft',
    "total" INTEGER NOT NULL DEFAULT 0,
    "launchedAt" TIMESTAMPTZ(3),
    "audienceAt" TIMESTAMPTZ(3),
    "completedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Notification_campaignId_status_idx" ON "Notification"("campaignId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_campaignId_memberId_channel_key" ON "Notification"("campaignId", "memberId", "channel");

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: what a send job claims, so claiming stays an index scan at millions of rows.
CREATE INDEX "Notification_queued_email_batch" ON "Notification"("campaignId", "batch") WHERE "status" = 'queued' AND "channel" = 'email';
