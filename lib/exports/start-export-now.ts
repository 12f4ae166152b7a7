import "server-only";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { AppError, isAppError } from "@/lib/errors/app-error";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { LOCK_EXPORT_START_SQL, PENDING_EXPORT_JOB_SQL, type TPendingExportJobRow } from "@/lib/exports/export-sql";
import { exportSettings } from "@/lib/exports/export-settings";
import { enqueueJob, jobs, QUEUES } from "@/lib/jobs";
import { sqlOn } from "@/lib/pg-tx";

/**
 * Queues the nightly export's job now, for a worker to run like any night's (the queue is a
 * singleton: never two runs at once). A run already waiting or under way is watched instead of
 * queueing another behind it. The job and its audit event commit together.
 */
export const startExportNow = async ({ actor }: { actor: TActor }): Promise<{ jobId: string; started: boolean }> => {
  assertRole(actor, "admin");
  try {
    exportSettings();
  } catch (error) {
    // The console asked for a run this deployment cannot make: a conflict with its settings, not an outage.
    if (isAppError(error, "not_configured")) throw new AppError("conflict", { message: error.message });
    throw error;
  }
  await jobs();
  return db().$transaction(async (tx) => {
    const sql = sqlOn(tx);
    await sql.query(LOCK_EXPORT_START_SQL, []);
    const pending = await sql.query<TPendingExportJobRow>(PENDING_EXPORT_JOB_SQL, [QUEUES.exportNightly.name]);
    if (pending[0]) return { jobId: pending[0].id, started: false };
    const jobId = await enqueueJob(tx, { queue: QUEUES.exportNightly.name, data: { requestedBy: actor.id } });
    if (!jobId) throw new AppError("conflict", { message: "The export could not be queued. Try again in a minute." });
    await recordAuditEvent(tx, { actor, action: "export_start", target: { type: "export", id: jobId } });
    return { jobId, started: true };
  });
};
