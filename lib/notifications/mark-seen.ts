import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { pgPool } from "@/lib/pg";

// One statement, so the status it writes is decided on the row as it is when the row is locked: a
// click that commits meanwhile is never turned back into `seen`. Only a notice that went out can
// be seen: a queued email stays queued (as `seen` it would never be sent), and a failed one stays
// failed. The first time counts; a clicked notice keeps `clicked` and gains its seenAt.
const MARK_SEEN = `
  WITH marked AS (
    UPDATE "Notification"
       SET "seenAt" = now(),
           status = CASE WHEN status = 'sent' THEN 'seen'::"NotificationStatus" ELSE status END
     WHERE id = $1::uuid AND "seenAt" IS NULL AND status IN ('sent', 'clicked')
    RETURNING id
  )
  SELECT EXISTS (SELECT 1 FROM "Notification" WHERE id = $1::uuid) AS found`;

/** Records that an in-app notice was shown, as the platform that showed it says. False if no notification has this id. */
export const markSeen = async ({ actor, notificationId }: { actor: TActor; notificationId: string }) => {
  assertActorKind(actor, "platform");
  const { rows } = await pgPool().query<{ found: boolean }>({ name: "mark-notification-seen", text: MARK_SEEN, values: [notificationId] });
  return rows[0]?.found === true;
};
