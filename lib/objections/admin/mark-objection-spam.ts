import "server-only";

import { AppError } from "@/lib/errors/app-error";
import { actorColumns, assertRole, type TActor } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { parseAdminInput } from "@/lib/objections/admin/parse-admin-input";
import { ZObjectionSpam } from "@/lib/objections/admin/schema";

export type TMarkObjectionSpam = { actor: TActor; objectionId: string };

/**
 * Flags an objection as spam. It stays effective and in the export: leaving someone out of
 * training by mistake harms no one, training on someone who objected does.
 */
export const markObjectionSpam = async ({ actor, objectionId }: TMarkObjectionSpam) => {
  assertRole(actor, "reviewer");
  const input = parseAdminInput(ZObjectionSpam, { objectionId });
  return db().$transaction(async (tx) => {
    const spamAt = new Date();
    // Conditional: marking twice (or two reviewers at once) records one event.
    const { count } = await tx.objection.updateMany({ where: { id: input.objectionId, spamAt: null }, data: { spamAt } });
    if (count === 0) {
      const exists = await tx.objection.findUnique({ where: { id: input.objectionId }, select: { id: true } });
      throw exists ? new AppError("conflict", { message: "This objection is already marked as spam." }) : new AppError("not_found", { message: "There is no such objection." });
    }
    await tx.objectionEvent.create({ data: { objectionId: input.objectionId, type: "marked_spam", ...actorColumns(actor) } });
    await recordAuditEvent(tx, { actor, action: "objection_spam", target: { type: "objection", id: input.objectionId } });
    return { objectionId: input.objectionId, spamAt };
  });
};
