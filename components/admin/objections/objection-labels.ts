import type { ObjectionSource, ObjectionStatus } from "@/lib/generated/prisma/enums";

// How the console names an objection's source and status: in the queue, its filters, a member's page and an objection's page.

export const SOURCE_LABELS: Record<ObjectionSource, string> = {
  email_link: "Email link",
  in_app_link: "In-app link",
  direct: "Direct (no link)",
  gpc: "Global Privacy Control",
  in_app_setting: "In-app setting",
  prior: "Earlier (imported)",
};

export const STATUS_LABELS: Record<ObjectionStatus, string> = { effective: "Effective", withdrawn: "Withdrawn", rejected: "Rejected" };
