-- CreateEnum
CREATE TYPE "NotificationSkipReason" AS ENUM ('objected', 'suppressed');

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "skipReason" "NotificationSkipReason",
ADD COLUMN     "suppressionReason" "SuppressionReason";


-- The claim wrote why it skipped as prose in "lastError" (SKIPPED_OBJECTED, SKIPPED_SUPPRESSED and
-- the suppression's reason); nothing showed it. It becomes the columns, and "lastError" is left to
-- SMTP errors.
UPDATE "Notification" SET "skipReason" = 'objected', "lastError" = NULL
 WHERE status = 'skipped' AND "lastError" = 'Not sent: the member objected after the launch.';
UPDATE "Notification"
   SET "skipReason" = 'suppressed',
       "suppressionReason" = substring("lastError" FROM '\(([a-z_]+)\)\.$')::"SuppressionReason",
       "lastError" = NULL
 WHERE status = 'skipped' AND "lastError" ~ '^Not sent: emails to this member are stopped \((hard_bounce|complaint|unsubscribe)\)\.$';

-- A suppression's reason goes with a skip for a suppression, and only with that.
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_suppressionReason_check"
  CHECK (("skipReason" IS NOT DISTINCT FROM 'suppressed') = ("suppressionReason" IS NOT NULL));
