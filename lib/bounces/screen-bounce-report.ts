import "server-only";

import { dayNumber } from "@/lib/bounces/bounce-mac";
import { noticeMessageIdLocal } from "@/lib/bounces/notice-message-id";
import { reportQuotesNotice } from "@/lib/bounces/report-quotes-notice";
import { asReportMessage, type TReportMessage } from "@/lib/bounces/report-message";
import { formatVerpAddress, parseVerpAddress, verpSigner } from "@/lib/bounces/verp-address";
import { env } from "@/lib/env";
import type { TCountedEvent } from "@/lib/metrics/count-events";

/** A report about a notice sent longer ago than this (by the day in its address) is dropped. */
const MAX_REPORT_AGE_DAYS = 30;

/**
 * Addresses of the old format (`bounces+<uuid>@…`, no MAC, no day), on notices sent before the MAC,
 * are believed until this moment: the day this shipped (2026-12-06) plus 30 days, so every such
 * notice gets as long as a new one. A date in code, not a database check of each notice's sentAt:
 * the listener reads no row per report, the rule is the same on every listener, and after this date
 * the branch is dead code to remove. The cost: until then, an old notice sent long before is
 * believed too, as it was before.
 */
export const OLD_VERP_ACCEPTED_UNTIL = new Date("2027-01-05T00:00:00Z");

// The old notices' Message-ID was random (`<uuid@MAIL_FROM's domain>`) and is stored nowhere: only
// its shape can be checked.
const OLD_MESSAGE_ID = /(?:^|\n)message-id:\s*<[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}@/;

type TScreenedReport = { notificationId: string } | { dropped: TCountedEvent };

/**
 * Whether to believe a report sent to `recipient` (a VERP address the listener took at RCPT), and
 * about which notice. Dropped, in this order: an address whose MAC no key of LINK_SECRETS made, a
 * notice sent more than MAX_REPORT_AGE_DAYS ago, an old-format address past the grace, and a report
 * whose quoted headers hold neither the notice's Message-ID nor its VERP address. No database read:
 * the Message-ID is worked out from the address (lib/bounces/notice-message-id.ts).
 */
export const screenBounceReport = async ({
  recipient,
  message: messageGiven,
  local,
  domain,
  now,
  secrets = env().LINK_SECRETS,
}: {
  recipient: string;
  /** The report, or its raw bytes; its parts are parsed only if needed, and once (lib/bounces/report-message.ts). */
  message: TReportMessage | string | Uint8Array;
  local: string;
  domain: string;
  now: Date;
  secrets?: readonly string[];
}): Promise<TScreenedReport> => {
  const message = asReportMessage(messageGiven);
  const address = parseVerpAddress(recipient, { local, domain });
  // Refused at RCPT already; should one slip through, it is no address of ours.
  if (!address) return { dropped: "bounce_report_dropped_bad_mac" };
  const { notificationId, signed } = address;
  if (!signed) {
    if (now >= OLD_VERP_ACCEPTED_UNTIL) return { dropped: "bounce_report_dropped_old_format" };
    const verp = formatVerpAddress({ address, local, domain }).toLowerCase();
    const quoted = await reportQuotesNotice({ message, quotes: (headers) => headers.includes(verp) || OLD_MESSAGE_ID.test(headers) });
    return quoted ? { notificationId } : { dropped: "bounce_report_dropped_unquoted" };
  }
  const secret = verpSigner({ address: signed, secrets });
  if (!secret) return { dropped: "bounce_report_dropped_bad_mac" };
  if (dayNumber(now) - signed.day > MAX_REPORT_AGE_DAYS) return { dropped: "bounce_report_dropped_too_old" };
  const verp = formatVerpAddress({ address, local, domain }).toLowerCase();
  const messageId = `<${noticeMessageIdLocal({ ...signed, secret })}@`;
  const quoted = await reportQuotesNotice({ message, signed: messageId, quotes: (headers) => headers.includes(messageId) || headers.includes(verp) });
  return quoted ? { notificationId } : { dropped: "bounce_report_dropped_unquoted" };
};
