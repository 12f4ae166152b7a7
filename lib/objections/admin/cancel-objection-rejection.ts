import "server-only";

import { AppError } from "@/lib/errors/app-error";
import { assertRole } from "@/lib/auth/actor";
import type { TAdminActor } from "@/lib/auth/roles";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { parseAdminInput } from "@/lib/objections/admin/parse-admin-input";
import { ZRejectionCancel } from "@/lib/objections/admin/schema";
import { LIVE_STATUS } from "@/lib/objections/live-objection";

export type TCancelObjectionRejection = { actor: TAdminActor; objectionId: string };

/** Withdraws a rejection request before anyone approved it; the objection simply stays effective. */
export const cancelObjectionRejection = async ({ actor, objectionId }: TCancelObjectionRejection) => {
  assertRole(actor, "reviewer");
  const input = parseAdminInput(ZRejectionCancel, { objectionId });
  return db().$transaction(async (tx) => {
    const objection = await tx.objection.findUnique({ where: { id: input.objectionId }, select: { id: true, status: true, rejectionRequestedBy: true, rejectionRequestedAt: true } });
    if (!objection) throw new AppError("not_found", { message: "There is no such objection." });
    if (objection.status !== "effective" || !objection.rejectionRequestedBy || !objection.rejectionRequestedAt) {
      throw new AppError("conflict", { message: objection.status === "rejected" ? "This rejection was already approved." : "No rejection is waiting for approval." });
    }
    // Conditional: a cancellation racing an approval loses cleanly (or wins, and the approval does).
    const { count } = await tx.objection.updateMany({
      where: { id: objection.id, status: LIVE_STATUS, rejectionRequestedBy: objection.rejectionRequestedBy, rejectionRequestedAt: objection.rejectionRequestedAt },
      data: { rejectionReason: null, rejectionRequestedBy: null, rejectionRequestedAt: null },
    });
    if (count === 0) throw new AppError("conflict", { message: "This rejection changed a moment ago (approved or cancelled by someone else). Reload the page." });
    await tx.objectionEvent.create({
      data: { objectionId: objection.id, type: "rejection_cancelled", actorType: "admin", actorId: actor.id, detail: { requestedBy: objection.rejectionRequestedBy } },
    });
    await recordAuditEvent(tx, { actor, action: "objection_rejection_cancel", target: { type: "objection", id: objection.id }, detail: { requestedBy: objection.rejectionRequestedBy } });
    return { objectionId: objection.id };
  });
};
