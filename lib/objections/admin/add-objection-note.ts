import "server-only";

import { AppError } from "@/lib/errors/app-error";
import { actorColumns, assertRole, type TActor } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { parseAdminInput } from "@/lib/objections/admin/parse-admin-input";
import { ZObjectionNote } from "@/lib/objections/admin/schema";

export type TAddObjectionNote = { actor: TActor; objectionId: string; note: string };

/** A reviewer's note on the objection's timeline. The audit event records that a note was added, not its text. */
export const addObjectionNote = async ({ actor, objectionId, note }: TAddObjectionNote) => {
  assertRole(actor, "reviewer");
  const input = parseAdminInput(ZObjectionNote, { objectionId, note });
  return db().$transaction(async (tx) => {
    const objection = await tx.objection.findUnique({ where: { id: input.objectionId }, select: { id: true } });
    if (!objection) throw new AppError("not_found", { message: "There is no such objection." });
    const event = await tx.objectionEvent.create({
      data: { objectionId: objection.id, type: "note_added", ...actorColumns(actor), detail: { note: input.note } },
      select: { id: true },
    });
    await recordAuditEvent(tx, { actor, action: "objection_note", target: { type: "objection", id: objection.id }, detail: { eventId: event.id.toString(), length: input.note.length } });
    return { objectionId: objection.id, eventId: event.id.toString() };
  });
};
