import type { ObjectionEventType, ObjectionSource } from "@/lib/generated/prisma/enums";

/*
 * An objection's timeline in the words people use ("Objected by email link", "Receipt sent"):
 * never an enum value, a job's name or an id. Pure, so a test reads every case.
 */

/** How the objection was made, after "Objected". */
export const OBJECTED_BY: Record<ObjectionSource, string> = {
  email_link: "by email link",
  in_app_link: "by in-app link",
  direct: "on the form, without a link",
  gpc: "by Global Privacy Control",
  in_app_setting: "in the app's settings",
  prior: "before this app (imported)",
};

export const EVENT_LABELS: Record<ObjectionEventType, string> = {
  created: "Objection made",
  receipt_sent: "Receipt sent",
  receipt_failed: "Receipt failed",
  withdrawn: "Withdrawn",
  rejected: "Rejection approved",
  matched: "Matched to a member",
  unmatched: "Match undone",
  note_added: "Note",
  marked_spam: "Marked as spam",
  rejection_requested: "Rejection requested",
  rejection_cancelled: "Rejection request cancelled",
  rejection_email_sent: "Rejection email sent",
  withdrawal_email_sent: "Withdrawal confirmed by email",
};

const isSource = (value: unknown): value is ObjectionSource => typeof value === "string" && Object.hasOwn(OBJECTED_BY, value);

/** The event's headline: "Objected by email link" for the first, where its source is known. */
export const timelineEventLabel = (type: ObjectionEventType, detail: unknown) => {
  const source = (detail as { source?: unknown } | null)?.source;
  if (type === "created" && isSource(source)) return `Objected ${OBJECTED_BY[source]}`;
  return EVENT_LABELS[type] ?? "Something happened";
};
