-- A policy or sending-side refusal (5.7.x, 5.4.x, …) is `rejected`: it says nothing about the address.
ALTER TYPE "NotificationBounce" ADD VALUE 'rejected';

-- The last "still trying" warning (Action: delayed): recorded, never counted.
ALTER TABLE "Notification" ADD COLUMN "delayStatus" TEXT,
ADD COLUMN "delayedAt" TIMESTAMPTZ(3);
