import "server-only";

import { AppError } from "@/lib/errors/app-error";
import { actorColumns, assertRole, type TActor } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { enqueueJob, jobs, QUEUES } from "@/lib/jobs";
import { parseAdminInput } from "@/lib/objections/admin/parse-admin-input";
import { ZRejectionApproval } from "@/lib/objections/admin/schema";
import { LIVE_STATUS } from "@/lib/objections/live-objection";

export type TApproveObjectionRejection = { actor: TActor; objectionId: string };

/**
 * The second half of a rejection: another reviewer approves it. The objection becomes rejected
 * (the export drops it at its next run), and the email with the reason is enqueued in the same
 * transaction, so a rejection never goes unannounced and no email announces a rejection that
 * rolled back. Nobody approves their own request.
 */
export const approveObjectionRejection = async ({ actor, objectionId }: TApproveObjectionRejection) => {
  assertRole(actor, "reviewer");
  const input = parseAdminInput(ZRejectionApproval, { objectionId });
  await jobs();
  return db().$transaction(async (tx) => {
    const objection = await tx.objection.findUnique({
      where: { id: input.objectionId },
      select: { id: true, status: true, rejectionRequestedBy: true, rejectionRequestedAt: true },
    });
    if (!objection) throw new AppError("not_found", { message: "There is no such objection." });
    if (objection.status !== "effective") throw new AppError("conflict", { message: `This objection is ${objection.status}; there is nothing to approve.` });
    if (!objection.rejectionRequestedBy || !objection.rejectionRequestedAt) throw new AppError("conflict", { message: "No rejection is waiting for approval." });
    if (objection.rejectionRequestedBy === actor.id) throw new AppError("forbidden", { message: "You requested this rejection: a second reviewer must approve it." });

    const rejectedAt = new Date();
    // Conditional on exactly the request that was read: of two approvals racing, one wins; a
    // request cancelled and made again by this reviewer meanwhile is not approved by them.
    const { count } = await tx.objection.updateMany({
      where: { id: objection.id, status: LIVE_STATUS, rejectionRequestedBy: objection.rejectionRequestedBy, rejectionRequestedAt: objection.rejectionRequestedAt },
      data: { status: "rejected", rejectedAt },
    });
    if (count === 0) throw new AppError("conflict", { message: "This rejection changed a moment ago (approved or cancelled by someone else). Reload the page." });
    await tx.objectionEvent.create({
      data: { objectionId: objection.id, type: "rejected", ...actorColumns(actor), detail: { requestedBy: objection.rejectionRequestedBy } },
    });
    await recordAuditEvent(tx, { actor, action: "objection_rejection_approve", target: { type: "objection", id: objection.id }, detail: { requestedBy: objection.rejectionRequestedBy } });
    await enqueueJob(tx, { queue: QUEUES.objectionRejection.name, data: { objectionId: objection.id } });
    return { objectionId: objection.id, rejectedAt };
  });
};
