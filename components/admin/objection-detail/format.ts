import type { ObjectionEventType } from "@/lib/generated/prisma/enums";

const DATE_TIME = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

/** One format for every time in the console, in UTC, so two admins in two countries read the same thing. */
export const formatDateTime = (date: Date | null | undefined) =>
  date ? `${DATE_TIME.format(date)} UTC` : "—";

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
