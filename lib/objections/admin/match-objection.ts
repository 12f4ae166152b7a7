import "server-only";

import { AppError } from "@/lib/errors/app-error";
import { assertRole } from "@/lib/auth/actor";
import type { TAdminActor } from "@/lib/auth/roles";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { parseAdminInput } from "@/lib/objections/admin/parse-admin-input";
import { ZObjectionMatch } from "@/lib/objections/admin/schema";
import { LIVE_STATUS, liveObjectionWhere } from "@/lib/objections/live-objection";

export type TMatchObjection = { actor: TAdminActor; objectionId: string; memberExternalId: string };

const isUniqueViolation = (error: unknown) => {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code === "P2002" || code === "23505" || /unique constraint/i.test(message ?? "");
};

/**
 * Links an objection made without an account to the member with that external id. The
 * objection's country stays as the person gave it. A member has at most one live objection: a
 * second one is a conflict (the partial unique index says the same if two reviewers race).
 */
export const matchObjection = async ({ actor, objectionId, memberExternalId }: TMatchObjection) => {
  assertRole(actor, "reviewer");
  const input = parseAdminInput(ZObjectionMatch, { objectionId, memberExternalId });
  try {
    return await db().$transaction(async (tx) => {
      const objection = await tx.objection.findUnique({ where: { id: input.objectionId }, select: { id: true, memberId: true, status: true } });
      if (!objection) throw new AppError("not_found", { message: "There is no such objection." });
      if (objection.memberId) throw new AppError("conflict", { message: "This objection is already matched to a member." });
      const member = await tx.member.findUnique({ where: { externalId: input.memberExternalId }, select: { id: true, externalId: true } });
      if (!member) throw new AppError("not_found", { message: "No member has that external id." });
      if (objection.status === LIVE_STATUS) {
        const live = await tx.objection.findFirst({ where: liveObjectionWhere({ rule: "member", memberId: member.id }), select: { id: true } });
        if (live) throw new AppError("conflict", { message: "That member already has a live objection; match would make two. Open the other objection instead." });
      }
      // Conditional: of two reviewers matching the same objection, only the first changes it.
      const { count } = await tx.objection.updateMany({ where: { id: objection.id, memberId: null }, data: { memberId: member.id } });
      if (count === 0) throw new AppError("conflict", { message: "This objection was matched a moment ago by someone else." });
      await tx.objectionEvent.create({
        data: { objectionId: objection.id, type: "matched", actorType: "admin", actorId: actor.id, detail: { memberId: member.id, memberExternalId: member.externalId } },
      });
      await recordAuditEvent(tx, { actor, action: "objection_match", target: { type: "objection", id: objection.id }, detail: { memberId: member.id } });
      return { objectionId: objection.id, memberId: member.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", { message: "That member already has a live objection; match would make two. Open the other objection instead." });
    throw error;
  }
};
