-- AlterEnum
ALTER TYPE "ObjectionEventType" ADD VALUE 'rejection_email_sent';

