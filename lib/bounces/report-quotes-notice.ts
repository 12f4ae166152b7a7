import "server-only";

import PostalMime, { type Attachment } from "postal-mime";

// The parts in which a report hands back the message it is about: its headers (a DSN's
// text/rfc822-headers, RFC 6522; message/global-headers, RFC 6533) or the whole message (an abuse
// report's message/rfc822, RFC 5965; message/global).
const QUOTING_PARTS = new Set(["text/rfc822-headers", "message/global-headers", "message/rfc822", "message/global"]);
// As lib/bounces/parse-bounce-report.ts: a report nests its parts a level or two deep.
const MAX_NESTING_DEPTH = 8;

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
 * that holds it anywhere is about the notice, and is believed without a second MIME parse. That is
 * the common case, and it halves the listener's CPU per report (parse-bounce-report.ts parses too).
 */
export const reportQuotesNotice = async ({ raw, signed, quotes }: { raw: string | Uint8Array; signed?: string; quotes: (headers: string) => boolean }) => {
  if (signed && holds(raw, signed)) return true;
  let parts: Attachment[];
  try {
    // A quoted message stays one opaque part (forceRfc822Attachments): its own parts are not the report's.
    ({ attachments: parts } = await PostalMime.parse(raw, { forceRfc822Attachments: true, maxNestingDepth: MAX_NESTING_DEPTH }));
  } catch {
    return true;
  }
  const quoted = parts.filter((part) => QUOTING_PARTS.has(part.mimeType));
  return quoted.length === 0 || quoted.some((part) => quotes(quotedHeaders(part)));
};
