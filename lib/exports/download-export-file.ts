import "server-only";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors/app-error";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { exportFile } from "@/lib/exports/export-runs";

/**
 * A run's file for an admin, from the storage it was written to. The download is audited before a
 * byte leaves: the file holds every objector's (hashed) address.
 */
export const downloadExportFile = async ({ actor, runId, name }: { actor: TActor; runId: string; name: string }) => {
  assertRole(actor, "admin");
  const found = await exportFile({ runId, name });
  if (found.status === "not_found") throw new AppError("not_found", { message: "No such file in a successful export run." });
  if (found.status === "deleted") throw new AppError("not_found", { message: "Retention deleted this run's files. Download the latest run instead." });
  const body = await found.stream();
  if (!body) throw new AppError("conflict", { message: "The export storage does not have this file right now. Try again in a minute." });
  await recordAuditEvent(db(), { actor, action: "export_download", target: { type: "export", id: runId }, detail: { file: found.file.name } });
  return { file: found.file, body };
};
