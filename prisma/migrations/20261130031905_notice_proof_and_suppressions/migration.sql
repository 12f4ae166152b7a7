-- CreateEnum
CREATE TYPE "NotificationBounce" AS ENUM ('hard', 'complaint');

-- CreateEnum
CREATE TYPE "SuppressionReason" AS ENUM ('hard_bounce', 'complaint', 'unsubscribe');

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "bounceDiagnostic" TEXT,
ADD COLUMN     "bounceKind" "NotificationBounce",
ADD COLUMN     "bounceStatus" TEXT,
ADD COLUMN     "bouncedAt" TIMESTAMPTZ(3),
ADD COLUMN     "locale" TEXT,
ADD COLUMN     "noticeVersion" TEXT,
ADD COLUMN     "relayReply" TEXT,
ADD COLUMN     "softBounces" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "EmailSuppression" (
    "memberId" UUID NOT NULL,
    "reason" "SuppressionReason" NOT NULL,
    "notificationId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmailSuppression_pkey" PRIMARY KEY ("memberId")
);

-- AddForeignKey
ALTER TABLE "EmailSuppression" ADD CONSTRAINT "EmailSuppression_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

