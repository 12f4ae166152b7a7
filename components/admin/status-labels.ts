import type { CampaignStatus } from "@/lib/generated/prisma/enums";

/*
 * Status words the console shows for campaigns and an export run's kind, in sentence case like
 * every other label in the console ("Effective", "Rejection pending"): never the raw enum value.
 * An export run's status is components/admin/exports/export-status.ts.
 */

export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = { draft: "Draft", running: "Running", paused: "Paused", done: "Done", failed: "Failed" };

export const EXPORT_KIND_LABELS: Record<"snapshot" | "delta", string> = { snapshot: "Snapshot", delta: "Delta" };
