import "server-only";

import { AppError } from "@/lib/errors/app-error";
import { assertRole } from "@/lib/auth/actor";
import type { TAdminActor } from "@/lib/auth/roles";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { parseAdminInput } from "@/lib/objections/admin/parse-admin-input";
import { ZRejectionRequest } from "@/lib/objections/admin/schema";
import { LIVE_STATUS } from "@/lib/objections/live-objection";

export type TRequestObjectionRejection = { actor: TAdminActor; objectionId: string; reason: string };

/**
 * The first half of a rejection: the reason waits on the objection for a second reviewer. Until
 * then the objection stays effective and in the export.
 */
export const requestObjectionRejection = async ({ actor, objectionId, reason }: TRequestObjectionRejection) => {
  assertRole(actor, "reviewer");
  const input = parseAdminInput(ZRejectionRequest, { objectionId, reason });
  return db().$transaction(async (tx) => {
    const requestedAt = new Date();
    // Conditional: only an effective objection with no request waiting can get one.
    const { count } = await tx.objection.updateMany({
      where: { id: input.objectionId, status: LIVE_STATUS, rejectionRequestedBy: null },
      data: { rejectionReason: input.reason, rejectionRequestedBy: actor.id, rejectionRequestedAt: requestedAt },
    });
    if (count === 0) {
      const objection = await tx.objection.findUnique({ where: { id: input.objectionId }, select: { status: true } });
      if (!objection) throw new AppError("not_found", { message: "There is no such objection." });
      if (objection.status !== "effective") throw new AppError("conflict", { message: `This objection is ${objection.status}; only an effective objection can be rejected.` });
      throw new AppError("conflict", { message: "A rejection is already waiting for a second reviewer. Approve or cancel it first." });
    }
    await tx.objectionEvent.create({
      data: { objectionId: input.objectionId, type: "rejection_requested", actorType: "admin", actorId: actor.id, detail: { reason: input.reason } },
    });
    await recordAuditEvent(tx, { actor, action: "objection_rejection_request", target: { type: "objection", id: input.objectionId } });
    return { objectionId: input.objectionId, requestedAt };
  });
};
