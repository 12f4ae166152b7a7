import "server-only";

import type { Attachment } from "postal-mime";
import { z } from "zod";

import { asReportMessage, type TReportMessage } from "@/lib/bounces/report-message";
import { redactAddresses } from "@/lib/mail";

/**
 * What a report says about the notice it came back for:
 * - hard: the address is wrong (5.1.x bad mailbox or domain, 5.2.1 disabled): that address gets no more notices;
 * - rejected: any other 5.x.x, a policy or sending-side refusal (a blocklisted relay, DMARC, content,
 *   size): it says nothing about the address, and never suppresses;
 * - soft: 4.x.x given up on, or 5.2.2 (mailbox full): it may work later; enough within a window count as hard;
 * - delayed: `Action: delayed`, the relay is still trying: recorded, never counted;
 * - complaint: the person reported it.
 */
type TBounceKind = "hard" | "rejected" | "soft" | "delayed" | "complaint";

export type TBounceReport = {
  kind: TBounceKind;
  /** The DSN's status code ("5.1.1") or the ARF feedback type ("abuse"). */
  status: string;
  /** What the receiving server said, without addresses, at most DIAGNOSTIC_MAX characters. */
  diagnostic: string | null;
};

export const DIAGNOSTIC_MAX = 500;

// RFC 3463: class.subject.detail. Only the code is kept; a comment after it ("5.1.1 (unknown)") is not.
const ZStatus = z.string().regex(/^[245]\.\d{1,3}\.\d{1,3}$/);
// RFC 5965 and its registry. "not-spam" undoes a report, and "auth-failure" (RFC 6591) is about
// the sending domain, not the person: neither is a complaint.
const COMPLAINT_TYPES = new Set(["abuse", "fraud", "virus", "other"]);
const ZFeedbackType = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/);

// RFC 3463's statuses that say the recipient's address itself is wrong: other address status, bad
// mailbox, bad system, bad mailbox syntax, ambiguous, moved without forwarding, null MX (RFC 7505),
// and mailbox disabled. 5.1.5 ("address valid"), 5.1.7 and 5.1.8 (the *sender's* address) are not.
const ADDRESS_WRONG = new Set(["5.1.0", "5.1.1", "5.1.2", "5.1.3", "5.1.4", "5.1.6", "5.1.10", "5.2.1"]);
// A full mailbox that some servers answer with 5.2.2: the person can empty it, so it counts as soft.
const MAILBOX_FULL = "5.2.2";

const kindOfStatus = (status: string): TBounceKind => {
  if (status.startsWith("4") || status === MAILBOX_FULL) return "soft";
  return ADDRESS_WRONG.has(status) ? "hard" : "rejected";
};

/** Which outcome wins when a report lists several recipients: the one that says most about the notice. */
const RANK: Record<TBounceKind, number> = { hard: 4, complaint: 4, rejected: 3, soft: 2, delayed: 1 };

const DELIVERY_STATUS = new Set(["message/delivery-status", "message/global-delivery-status"]);
const FEEDBACK_REPORT = "message/feedback-report";

const utf8 = new TextDecoder();

/** A part's decoded body as text (a global-delivery-status is UTF-8, RFC 6533). */
const bodyText = (part: Attachment) => (typeof part.content === "string" ? part.content : utf8.decode(part.content));

/**
 * A delivery-status body: header-like fields in groups split by empty lines (RFC 3464 §2.1).
 * postal-mime reads the message's own headers, not these: it hands the part over as a body.
 */
const fieldGroups = (body: string) =>
  body
    .replace(/\r?\n[ \t]+/g, " ")
    .split(/\r?\n(?:[ \t]*\r?\n)+/)
    .map((group) => {
      const fields = new Map<string, string>();
      for (const line of group.split(/\r?\n/)) {
        const colon = line.indexOf(":");
        if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      return fields;
    })
    .filter((fields) => fields.size > 0);

/** `smtp; 550 5.1.1 <a@b>: no such user` → `550 5.1.1 [address]: no such user`, cut to length. */
const cleanDiagnostic = (value: string | undefined) => {
  if (!value) return null;
  // The diagnostic type ("smtp;", "X-Postfix;") names the format, not the reason.
  const text = redactAddresses(value.replace(/^[\w-]+\s*;\s*/, "").replace(/\s+/g, " ").trim());
  return text === "" ? null : text.slice(0, DIAGNOSTIC_MAX);
};

/**
 * One recipient's outcome, or null when it says nothing against the notice (delivered, relayed,
 * expanded, or a status we cannot read). The status decides, except that `Action: delayed` is a
 * warning whatever its status: an MTA that gave up after days of 4xx replies says "failed" with a
 * 4.x.x status, which is a soft bounce; one still trying says "delayed", which is not a bounce.
 */
const recipientOutcome = (fields: Map<string, string>): TBounceReport | null => {
  const code = /^\s*([245]\.\d{1,3}\.\d{1,3})/.exec(fields.get("status") ?? "")?.[1];
  const status = ZStatus.safeParse(code);
  if (!status.success || status.data.startsWith("2")) return null;
  const delayed = fields.get("action")?.trim().toLowerCase() === "delayed";
  return { kind: delayed ? "delayed" : kindOfStatus(status.data), status: status.data, diagnostic: cleanDiagnostic(fields.get("diagnostic-code")) };
};

const deliveryStatusReport = (body: string): TBounceReport | null => {
  // The first group is about the message, every other one about a recipient. A notice has one
  // recipient; if a report lists several, the worst outcome counts.
  const [, ...recipients] = fieldGroups(body);
  let worst: TBounceReport | null = null;
  for (const outcome of recipients.map(recipientOutcome)) {
    if (outcome && (!worst || RANK[outcome.kind] > RANK[worst.kind])) worst = outcome;
  }
  return worst;
};

const feedbackReport = (body: string): TBounceReport | null => {
  const fields = fieldGroups(body)[0];
  const feedbackType = ZFeedbackType.safeParse(fields?.get("feedback-type")?.toLowerCase());
  if (!feedbackType.success || !COMPLAINT_TYPES.has(feedbackType.data)) return null;
  // Who reported it ("Yahoo!-Mail-Feedback/1.0") helps an admin judge it; the report's other
  // fields name the addresses and the original message, and are not kept.
  const agent = fields?.get("user-agent");
  return { kind: "complaint", status: feedbackType.data, diagnostic: agent ? cleanDiagnostic(`Reported by ${agent}`) : null };
};

/**
 * A delivery status notification (RFC 3464) or an abuse report (RFC 5965) in a raw message, or
 * null for anything else (an auto-reply, a delivery notice, spam, garbage). The report is found
 * by its part's type, not by the report-type parameter, which some senders leave out. The
 * recipient's address in the report is never read: the notice is known from the envelope.
 * Never rejects: a message postal-mime refuses (nested too deep, headers too large) is no report.
 * Given a message the screener parsed already, it reads those parts (lib/bounces/report-message.ts).
 */
export const parseBounceReport = async (message: TReportMessage | string | Uint8Array): Promise<TBounceReport | null> => {
  const parts = await asReportMessage(message).parts();
  if (!parts) return null;
  const arf = parts.find((part) => part.mimeType === FEEDBACK_REPORT);
  if (arf) return feedbackReport(bodyText(arf));
  const dsn = parts.find((part) => DELIVERY_STATUS.has(part.mimeType));
  return dsn ? deliveryStatusReport(bodyText(dsn)) : null;
};
