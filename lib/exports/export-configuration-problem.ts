import "server-only";

import { ExportNotConfiguredError, exportSettings } from "@/lib/exports/export-settings";

/** What keeps this deployment from exporting (a missing key, no storage), in words for the console; null when it can. */
export const exportConfigurationProblem = () => {
  try {
    exportSettings();
    return null;
  } catch (error) {
    if (error instanceof ExportNotConfiguredError) return error.message;
    throw error;
  }
};
