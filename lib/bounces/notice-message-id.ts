import "server-only";

import { bounceMac, dayNumber } from "@/lib/bounces/bounce-mac";
import { compactId } from "@/lib/bounces/verp-address";

/**
 * The part before the "@" of a notice's Message-ID: `notice.<id>.<day>.<mac>`. A report that quotes
 * the notice's headers quotes this, and the bounce listener can work it out from the VERP address
 * alone (same id and day), with no database read. Its MAC has a key of its own: replies and
 * forwards carry the Message-ID to third parties (In-Reply-To, References), and it must not give
 * them the VERP address's MAC.
 */
export const noticeMessageIdLocal = ({ id, day, secret }: { id: string; day: number; secret: string }) =>
  `notice.${id}.${day}.${bounceMac({ purpose: "message-id", secret, id, day })}`;

/** `<notice.<id>.<day>.<mac>@domain>`: the notice's Message-ID, made from its notification and the time it is sent. */
export const noticeMessageId = ({ notificationId, sentAt, domain, secret }: { notificationId: string; sentAt: Date; domain: string; secret: string }) =>
  `<${noticeMessageIdLocal({ id: compactId(notificationId), day: dayNumber(sentAt), secret })}@${domain}>`;
