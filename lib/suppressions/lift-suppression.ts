import "server-only";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors/app-error";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import type { TLiftSuppression } from "@/lib/suppressions/schema";

/**
 * Lets email notices go to a member again. A reviewer's command, with a reason from a fixed list;
 * the row goes and the audit event keeps what it was (reason, since when, from which notice) and
 * why it was lifted, in the same transaction. A hard bounce can be lifted for any of the reasons
 * (a relay fault misread as a bad address, say); an unsubscribe or a complaint was the member's
 * own wish, so only the member asking lifts it.
 */
export const liftSuppression = async ({ actor, lift: { memberId, reason } }: { actor: TActor; lift: TLiftSuppression }) => {
  assertRole(actor, "reviewer");
  return db().$transaction(async (tx) => {
    const lifted = await tx.emailSuppression.findUnique({ where: { memberId } });
    if (!lifted) throw new AppError("conflict", { message: "This member's emails are not stopped (any more): there is nothing to lift." });
    if (lifted.reason !== "hard_bounce" && reason !== "member_asked") {
      throw new AppError("conflict", { message: "The member stopped these emails themselves (or reported one as spam). Lift it only when they ask you to, with the reason “the member asked”." });
    }
    // deleteMany: a lift that another admin made in between finds nothing, and says so.
    const { count } = await tx.emailSuppression.deleteMany({ where: { memberId, reason: lifted.reason } });
    if (count === 0) throw new AppError("conflict", { message: "Someone lifted this suppression a moment ago." });
    await recordAuditEvent(tx, {
      actor,
      action: "suppression_lift",
      target: { type: "member", id: memberId },
      detail: { suppression: lifted.reason, since: lifted.createdAt.toISOString(), notificationId: lifted.notificationId, reason },
    });
  });
};
