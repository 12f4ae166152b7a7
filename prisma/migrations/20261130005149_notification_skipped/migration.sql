-- AlterEnum
ALTER TYPE "NotificationStatus" ADD VALUE 'skipped';

