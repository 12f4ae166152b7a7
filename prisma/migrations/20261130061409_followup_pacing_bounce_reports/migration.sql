-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "notReachedById" UUID,
ADD COLUMN     "pacedAt" TIMESTAMPTZ(3),
ADD COLUMN     "pacedDomains" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "BounceReport" (
    "notificationId" UUID NOT NULL,
    "digest" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BounceReport_pkey" PRIMARY KEY ("notificationId","digest")
);

-- AddForeignKey
ALTER TABLE "BounceReport" ADD CONSTRAINT "BounceReport_notificationId_fkey" FOREIGN KEY ("notificationId") REFERENCES "Notification"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_notReachedById_fkey" FOREIGN KEY ("notReachedById") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

