import "server-only";

import { AppError } from "@/lib/errors/app-error";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { parseAdminInput } from "@/lib/objections/admin/parse-admin-input";
import { ZObjectionReveal } from "@/lib/objections/admin/schema";

export type TRevealObjection = { actor: TActor; objectionId: string };

export type TRevealedObjection = { email: string; reason: string | null; memberExternalId: string | null };

/** The objection's personal data, for a reviewer who pressed "reveal"; each reveal is audited before the data is returned. */
export const revealObjection = async ({ actor, objectionId }: TRevealObjection): Promise<TRevealedObjection> => {
  assertRole(actor, "reviewer");
  const input = parseAdminInput(ZObjectionReveal, { objectionId });
  return db().$transaction(async (tx) => {
    const objection = await tx.objection.findUnique({ where: { id: input.objectionId }, select: { email: true, reason: true, member: { select: { externalId: true } } } });
    if (!objection) throw new AppError("not_found", { message: "There is no such objection." });
    await recordAuditEvent(tx, { actor, action: "reveal", target: { type: "objection", id: input.objectionId } });
    return { email: objection.email, reason: objection.reason, memberExternalId: objection.member?.externalId ?? null };
  });
};
