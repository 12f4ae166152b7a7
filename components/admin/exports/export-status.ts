import type { TBadgeTone } from "@/components/ui/badge";

/** A run's status in words, the same on the dashboard's card, in the runs table and in the "start a run" panel. */
export const EXPORT_STATUS: Record<"running" | "succeeded" | "failed", { label: string; tone: TBadgeTone }> = {
  running: { label: "Running", tone: "info" },
  succeeded: { label: "Succeeded", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
};
