import type { TMemberNotice, TSuppressionReason } from "@/lib/notifications/member-notice-history";

import type { TBadgeTone } from "@/components/ui/badge";

export const CHANNEL_LABELS: Record<TMemberNotice["channel"], string> = { email: "Email", in_app: "In-app" };

export const NOTICE_STATUS_LABELS: Record<TMemberNotice["status"], string> = {
  queued: "Queued",
  sent: "Sent",
  failed: "Failed",
  seen: "Seen",
  clicked: "Clicked",
  skipped: "Not sent",
};

export const NOTICE_STATUS_TONES: Record<TMemberNotice["status"], TBadgeTone> = {
  queued: "neutral",
  sent: "info",
  failed: "danger",
  seen: "success",
  clicked: "success",
  skipped: "neutral",
};

export const BOUNCE_LABELS: Record<NonNullable<TMemberNotice["bounce"]>["kind"], string> = {
  hard: "Hard bounce",
  rejected: "Rejected (policy)",
  complaint: "Complaint",
};

export const SUPPRESSION_REASON_LABELS: Record<TSuppressionReason, string> = {
  hard_bounce: "Hard bounce",
  complaint: "Complaint",
  unsubscribe: "Stopped these emails",
};

/** A notice version is a long hash: its first characters tell two versions apart on screen. */
export const shortVersion = (version: string) => version.slice(0, 10);
