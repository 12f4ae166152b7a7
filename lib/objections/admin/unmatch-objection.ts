import "server-only";

import { AppError } from "@/lib/errors/app-error";
import { actorColumns, assertRole, type TActor } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { parseAdminInput } from "@/lib/objections/admin/parse-admin-input";
import { ZObjectionUnmatch } from "@/lib/objections/admin/schema";

export type TUnmatchObjection = { actor: TActor; objectionId: string; reason: string };

/** Whether the objection's member came from a match in the console: its latest match event is a match, not an unmatch. */
export const matchedInConsole = (events: { type: string }[]) => events.find((event) => event.type === "matched" || event.type === "unmatched")?.type === "matched";

/**
 * Undoes a match made in the console: the objection is the address's alone again, and stays as it
 * is (effective, withdrawn or rejected). The next export carries the change like any other (its row
 * removed, then added without the external id). An objection the member made through their own
 * signed link was never matched by anyone, so it cannot be unmatched. The reason is kept on the
 * event and in the audit log.
 */
export const unmatchObjection = async ({ actor, ...fields }: TUnmatchObjection) => {
  assertRole(actor, "reviewer");
  const input = parseAdminInput(ZObjectionUnmatch, fields);
  return db().$transaction(async (tx) => {
    const objection = await tx.objection.findUnique({
      where: { id: input.objectionId },
      select: {
        id: true,
        memberId: true,
        member: { select: { externalId: true } },
        events: { where: { type: { in: ["matched", "unmatched"] } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 1, select: { type: true } },
      },
    });
    if (!objection) throw new AppError("not_found", { message: "There is no such objection." });
    if (!objection.memberId) throw new AppError("conflict", { message: "This objection is not matched to a member." });
    if (!matchedInConsole(objection.events)) throw new AppError("conflict", { message: "This objection came through the member's own link, not a match: there is no match to undo." });
    const { count } = await tx.objection.updateMany({ where: { id: objection.id, memberId: objection.memberId }, data: { memberId: null } });
    if (count === 0) throw new AppError("conflict", { message: "This objection was changed a moment ago by someone else. Reload the page." });
    const detail = { memberId: objection.memberId, memberExternalId: objection.member?.externalId ?? null, reason: input.reason };
    await tx.objectionEvent.create({ data: { objectionId: objection.id, type: "unmatched", ...actorColumns(actor), detail } });
    await recordAuditEvent(tx, { actor, action: "objection_unmatch", target: { type: "objection", id: objection.id }, detail });
    return { objectionId: objection.id, memberId: objection.memberId };
  });
};
