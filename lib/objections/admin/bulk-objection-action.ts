import "server-only";

import { AppError } from "@/lib/errors/app-error";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { addObjectionNote } from "@/lib/objections/admin/add-objection-note";
import type { TBulkItemResult, TBulkObjectionAction } from "@/lib/objections/admin/bulk-objection-schema";
import { markObjectionSpam } from "@/lib/objections/admin/mark-objection-spam";
import { matchObjection } from "@/lib/objections/admin/match-objection";
import { normaliseEmail } from "@/lib/members/normalise-email";
import { logger } from "@/lib/logger";

/**
 * Match by address: the one member whose (normalised) address is the objection's. None or several
 * is reported, never guessed, and so is a member in another country: matching the wrong person would put someone else's data back in training.
 */
const matchByEmail = async ({ actor, objectionId }: { actor: TActor; objectionId: string }) => {
  const objection = await db().objection.findUnique({ where: { id: objectionId }, select: { email: true, country: true, memberId: true } });
  if (!objection) throw new AppError("not_found", { message: "There is no such objection." });
  if (objection.memberId) throw new AppError("conflict", { message: "Already matched to a member." });
  const members = await db().member.findMany({ where: { email: normaliseEmail(objection.email) }, select: { externalId: true, country: true }, take: 2 });
  if (members.length === 0) throw new AppError("not_found", { message: "No member has this objection's email address." });
  if (members.length > 1) throw new AppError("conflict", { message: "Several members have this email address: match it from its own page." });
  // A different country needs a reviewer's typed reason, which a bulk action has no place for.
  if (members[0]!.country !== objection.country) throw new AppError("conflict", { message: "The member's country differs from the objection's: match it from its own page, with a reason." });
  await matchObjection({ actor, objectionId, memberExternalId: members[0]!.externalId });
  return `Matched to member ${members[0]!.externalId}.`;
};

/**
 * Runs one action on each selected objection through the single-objection functions, so each item
 * gets its own transaction, ObjectionEvent and audit event, and one failure does not stop the rest.
 * Returns a result per item, in the selection's order.
 */
export const bulkObjectionAction = async ({ actor, input }: { actor: TActor; input: TBulkObjectionAction }): Promise<TBulkItemResult[]> => {
  assertRole(actor, "reviewer");
  const results: TBulkItemResult[] = [];
  for (const objectionId of new Set(input.objectionIds)) {
    try {
      let message: string;
      if (input.action === "match") message = await matchByEmail({ actor, objectionId });
      else if (input.action === "note") {
        await addObjectionNote({ actor, objectionId, note: input.note });
        message = "Note added.";
      } else {
        await markObjectionSpam({ actor, objectionId });
        message = "Marked as spam.";
      }
      results.push({ id: objectionId, ok: true, message });
    } catch (error) {
      // A role problem is the whole request's, not one item's.
      if (error instanceof AppError && error.code === "forbidden") throw error;
      if (!(error instanceof AppError)) logger().error({ event: "bulk_action_failed", action: input.action, objectionId, error }, "a bulk action failed on one objection");
      results.push({ id: objectionId, ok: false, message: error instanceof AppError ? error.message : "Something went wrong with this one; try it from its own page." });
    }
  }
  return results;
};
