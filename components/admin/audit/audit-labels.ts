import type { AuditAction } from "@/lib/generated/prisma/enums";

/** What each audited action is called in the console. */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  sign_in: "Signed in",
  sign_out: "Signed out",
  invitation: "Invited an admin",
  role_change: "Changed a role",
  access_removed: "Removed access",
  reveal: "Revealed personal data",
  objection_search: "Searched objections by address",
  objection_note: "Added a note",
  objection_match: "Matched an objection",
  objection_spam: "Marked as spam",
  objection_rejection_request: "Requested a rejection",
  objection_rejection_approve: "Approved a rejection",
  objection_rejection_cancel: "Cancelled a rejection",
  objections_download: "Downloaded objections",
  objections_import: "Imported earlier objections",
  campaign_create: "Created a campaign",
  campaign_launch: "Launched a campaign",
  campaign_pause: "Paused a campaign",
  campaign_resume: "Resumed a campaign",
  campaign_test_email: "Sent a test email",
  export_start: "Started an export",
  export_download: "Downloaded an export file",
};
