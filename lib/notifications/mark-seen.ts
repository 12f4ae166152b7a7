import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { MARK_SEEN_SQL, type TMarkSeenRow } from "@/lib/notifications/notification-sql";
import { pgPool } from "@/lib/pg";

/** Records that an in-app notice was shown, as the platform that showed it says. False if no notification has this id. */
export const markSeen = async ({ actor, notificationId }: { actor: TActor; notificationId: string }) => {
  assertActorKind(actor, "platform");
  const { rows } = await pgPool().query<TMarkSeenRow>(MARK_SEEN_SQL, [notificationId]);
  return rows[0]?.found === true;
};
