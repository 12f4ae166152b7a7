import "server-only";

/**
 * Stops the emails of the member whom notification $1 names: an "unsubscribe" EmailSuppression,
 * unless one (of any reason) is there already. One statement, so a notification deleted meanwhile
 * gives no row rather than a failed insert; a row back means the notification exists.
 */
export const STOP_EMAILS_SQL = `
  WITH notification AS (SELECT id, "memberId" FROM "Notification" WHERE id = $1::uuid),
  stopped AS (
    INSERT INTO "EmailSuppression" ("memberId", reason, "notificationId")
    SELECT "memberId", 'unsubscribe', id FROM notification
    ON CONFLICT ("memberId") DO NOTHING
  )
  SELECT 1 FROM notification`;
