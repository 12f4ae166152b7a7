import "server-only";

import PostalMime, { type Attachment } from "postal-mime";

// A report nests its parts a level or two deep; past this, postal-mime rejects the message, which is then no report we read.
const MAX_NESTING_DEPTH = 8;

/**
 * A received message: its bytes, and its MIME parts, parsed on first use and at most once, so that
 * screening it (lib/bounces/screen-bounce-report.ts) and reading it (parse-bounce-report.ts) share
 * one parse, and a report dropped before either needs its parts costs none. `parts` is null for a
 * message postal-mime refuses (nested too deep, headers too large): that is no report we read.
 */
export type TReportMessage = { raw: string | Uint8Array; parts: () => Promise<Attachment[] | null> };

export const reportMessage = (raw: string | Uint8Array): TReportMessage => {
  let parsed: Promise<Attachment[] | null> | undefined;
  const parse = async () => {
    try {
      // A message/rfc822 part (a forwarded message, the original notice) stays one opaque part:
      // its own parts, and a report quoted inside it, are not the report's.
      return (await PostalMime.parse(raw, { forceRfc822Attachments: true, maxNestingDepth: MAX_NESTING_DEPTH })).attachments;
    } catch {
      return null;
    }
  };
  return { raw, parts: () => (parsed ??= parse()) };
};

/** A message as given, or its raw bytes to read as one. */
export const asReportMessage = (message: TReportMessage | string | Uint8Array) => (typeof message === "string" || message instanceof Uint8Array ? reportMessage(message) : message);
