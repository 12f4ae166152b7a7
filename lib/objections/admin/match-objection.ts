import "server-only";

import { AppError } from "@/lib/errors/app-error";
import { actorColumns, assertRole, type TActor } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db";
import { parseAdminInput } from "@/lib/objections/admin/parse-admin-input";
import { readMatchPreview } from "@/lib/objections/admin/preview-match";
import { ZObjectionMatch } from "@/lib/objections/admin/schema";

export type TMatchObjection = { actor: TActor; objectionId: string; memberExternalId: string; reason?: string };

const LIVE_CONFLICT = "That member already has a live objection; match would make two. Open the other objection instead.";

const isUniqueViolation = (error: unknown) => {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code === "P2002" || code === "23505" || /unique constraint/i.test(message ?? "");
};

/** The refusal when the member differs from the objection and no reason was given: it names what differs. */
const reasonNeeded = (differences: string[]) =>
  `The member's ${differences.join(" and ")} ${differences.length > 1 ? "differ" : "differs"} from the objection's: write why this is the same person before matching.`;

/**
 * Links an objection made without an account to the member with that external id. The
 * objection's country stays as the person gave it. A member whose address or country differs from
 * the objection's is matched only with a typed reason, kept on the event and in the audit log:
 * a wrong match puts a person who never objected out of campaigns. A member has at most one live
 * objection: a second one is a conflict (the partial unique index says the same if two reviewers race).
 */
export const matchObjection = async ({ actor, ...fields }: TMatchObjection) => {
  assertRole(actor, "reviewer");
  const input = parseAdminInput(ZObjectionMatch, fields);
  try {
    return await db().$transaction(async (tx) => {
      const preview = await readMatchPreview({ client: tx, objectionId: input.objectionId, memberExternalId: input.memberExternalId });
      if (preview.objectionMemberId) throw new AppError("conflict", { message: "This objection is already matched to a member." });
      if (preview.blocked) throw new AppError("conflict", { message: LIVE_CONFLICT });
      if (preview.differences.length > 0 && !input.reason) throw new AppError("invalid", { message: reasonNeeded(preview.differences) });
      // Conditional: of two reviewers matching the same objection, only the first changes it.
      const { count } = await tx.objection.updateMany({ where: { id: input.objectionId, memberId: null }, data: { memberId: preview.memberId } });
      if (count === 0) throw new AppError("conflict", { message: "This objection was matched a moment ago by someone else." });
      const detail = { memberId: preview.memberId, memberExternalId: preview.externalId, differences: preview.differences, ...(input.reason ? { reason: input.reason } : {}) };
      await tx.objectionEvent.create({ data: { objectionId: input.objectionId, type: "matched", ...actorColumns(actor), detail } });
      await recordAuditEvent(tx, { actor, action: "objection_match", target: { type: "objection", id: input.objectionId }, detail });
      return { objectionId: input.objectionId, memberId: preview.memberId };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", { message: LIVE_CONFLICT });
    throw error;
  }
};
