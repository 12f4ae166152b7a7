import "server-only";

import { isAppError } from "@/lib/errors/app-error";
import { exportSettings } from "@/lib/exports/export-settings";

/** What keeps this deployment from exporting (a missing key, no storage), in words for the console; null when it can. */
export const exportConfigurationProblem = () => {
  try {
    exportSettings();
    return null;
  } catch (error) {
    if (isAppError(error, "not_configured")) return error.message;
    throw error;
  }
};
