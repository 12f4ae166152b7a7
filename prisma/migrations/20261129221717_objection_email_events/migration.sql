-- Emails sent about an objection are on its timeline, so a job run again after a crash sends none twice.
ALTER TYPE "ObjectionEventType" ADD VALUE 'rejection_email_sent';
ALTER TYPE "ObjectionEventType" ADD VALUE 'withdrawal_email_sent';
