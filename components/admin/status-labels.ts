import type { CampaignStatus, ExportRunStatus } from "@/lib/generated/prisma/enums";

/*
 * Status words the console shows for campaigns and export runs, in sentence case like every other
 * label in the console ("Effective", "Rejection pending"): never the raw enum value.
 */

export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = { draft: "Draft", running: "Running", paused: "Paused", done: "Done", failed: "Failed" };

export const EXPORT_RUN_STATUS_LABELS: Record<ExportRunStatus, string> = { running: "Running", succeeded: "Succeeded", failed: "Failed" };

export const EXPORT_KIND_LABELS: Record<"snapshot" | "delta", string> = { snapshot: "Snapshot", delta: "Delta" };
