import "server-only";

import type { Attachment } from "postal-mime";

import type { TReportMessage } from "@/lib/bounces/report-message";

// The parts in which a report hands back the message it is about: its headers (a DSN's
// text/rfc822-headers, RFC 6522; message/global-headers, RFC 6533) or the whole message (an abuse
// report's message/rfc822, RFC 5965; message/global).
const QUOTING_PARTS = new Set(["text/rfc822-headers", "message/global-headers", "message/rfc822", "message/global"]);

const utf8 = new TextDecoder();

/** The part's header section, unfolded and in lower case (a whole quoted message's body is not looked at). */
const quotedHeaders = (part: Attachment) => {
  const text = typeof part.content === "string" ? part.content : utf8.decode(part.content);
  return (text.split(/\r?\n[ \t]*\r?\n/, 1)[0] ?? "").replace(/\r?\n[ \t]+/g, " ").toLowerCase();
};

const holds = (raw: string | Uint8Array, text: string) => (typeof raw === "string" ? raw.includes(text) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).includes(text));

/**
 * Whether a report is about our notice, as far as it says: true when it quotes no original headers
 * (many senders include none), else when some quoted header section passes `quotes` (given it in
 * lower case). True for a message postal-mime cannot read: it is no report either
 * (lib/bounces/parse-bounce-report.ts reads it the same way), and is ignored, not counted as a drop.
 *
 * `signed`, when given, is a text only we can make (the notice's Message-ID, with its MAC): a report
 * that holds it anywhere is about the notice, and is believed without looking at its parts. That is
 * the common case. The parts, when needed, are parsed once for this and parse-bounce-report.ts.
 */
export const reportQuotesNotice = async ({ message, signed, quotes }: { message: TReportMessage; signed?: string; quotes: (headers: string) => boolean }) => {
  if (signed && holds(message.raw, signed)) return true;
  const parts = await message.parts();
  if (!parts) return true;
  const quoted = parts.filter((part) => QUOTING_PARTS.has(part.mimeType));
  return quoted.length === 0 || quoted.some((part) => quotes(quotedHeaders(part)));
};
