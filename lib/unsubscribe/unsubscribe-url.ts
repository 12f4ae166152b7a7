import "server-only";

import { env } from "@/lib/env";
import { personalLinkToken } from "@/lib/links/personal-link-url";

/**
 * A notice stays in a mailbox for years, and "stop these emails" must keep working as long as we
 * might still write: longer than the objection link (LINK_TTL_DAYS), which can be asked for again.
 */
export const UNSUBSCRIBE_TTL_DAYS = 730;

/** `${APP_URL}/u/<token>`: a token of kind `unsubscribe` for this notification, which can object to nothing. */
export const unsubscribeUrl = ({ notificationId, now }: { notificationId: string; now?: Date }) =>
  `${env().APP_URL}/u/${personalLinkToken({ subject: { kind: "unsubscribe", id: notificationId }, ttlDays: UNSUBSCRIBE_TTL_DAYS, now })}`;
