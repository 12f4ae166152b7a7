-- Before this release any 5.x.x was a hard bounce, and three soft bounces made one too, delay
-- warnings included and with no time window. Keep the suppressions whose notice's status says the
-- address is wrong (RFC 3463 5.1.x bad mailbox or domain, 5.2.1 disabled: lib/bounces/parse-bounce-report.ts);
-- lift the others.
-- Idempotent: lib/bounces/lift-policy-suppressions.test.ts runs it again over rows written the old way. The notices refused for another 5.x.x reason are `rejected` from now on.
DELETE FROM "EmailSuppression" s
WHERE s.reason = 'hard_bounce'
  AND NOT EXISTS (
    SELECT 1 FROM "Notification" n
    WHERE n.id = s."notificationId"
      AND n."bounceStatus" IN ('5.1.0', '5.1.1', '5.1.2', '5.1.3', '5.1.4', '5.1.6', '5.1.10', '5.2.1'));

UPDATE "Notification" SET "bounceKind" = 'rejected'
WHERE "bounceKind" = 'hard' AND "bounceStatus" LIKE '5.%'
  AND "bounceStatus" NOT IN ('5.1.0', '5.1.1', '5.1.2', '5.1.3', '5.1.4', '5.1.6', '5.1.10', '5.2.1');
