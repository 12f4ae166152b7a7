import "server-only";

import { actorColumns, assertActorKind, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { enqueueJob, jobs, QUEUES } from "@/lib/jobs";
import { LIVE_STATUS, liveObjectionWhere } from "@/lib/objections/live-objection";
import { sqlOn } from "@/lib/pg-tx";
import { RECORD_WITHDRAWAL_EVENT_SQL } from "@/lib/webhooks/webhook-outbox-sql";

/**
 * Which objection: the member's live one, or one objection by id (the status page names one
 * objection; an old status link must never withdraw a newer objection made after it).
 */
type TWithdrawalTarget = { memberId: string; objectionId?: never } | { objectionId: string; memberId?: never };

/**
 * Withdraws the member's live objection (or the one objection named): status `withdrawn`, its reason erased (a withdrawn
 * objection keeps no free text), a pending rejection dropped, a `withdrawn` event, the
 * confirmation email's job and the webhook event (the outbox), all in one transaction. The export's triggers mark the change, so
 * the next delta removes the objector. Returns null when nothing was live (already withdrawn,
 * or never made): a repeated call changes nothing. The member may object again at once.
 * Who withdraws: the member (status page; without an id, whoever holds the status link of an
 * objection no account is matched to yet) or the platform (its in-app setting switched back). A
 * member withdraws only their own; any other actor is refused (AppError `forbidden`).
 */
export const withdrawObjection = async ({ actor, ...target }: TWithdrawalTarget & { actor: TActor }) => {
  assertActorKind(actor, "member", "platform");
  if (actor.kind === "member" && target.memberId && actor.memberId !== target.memberId) throw new AppError("forbidden", { message: "A member withdraws only their own objection." });
  await jobs();
  return db().$transaction(async (tx) => {
    const [withdrawn] = await tx.objection.updateManyAndReturn({
      where: target.memberId === undefined ? { id: target.objectionId, status: LIVE_STATUS } : liveObjectionWhere({ rule: "member", memberId: target.memberId }),
      data: { status: "withdrawn", withdrawnAt: new Date(), reason: null, rejectionReason: null, rejectionRequestedBy: null, rejectionRequestedAt: null },
      select: { id: true, withdrawnAt: true },
    });
    if (!withdrawn) return null;
    await tx.objectionEvent.create({
      data: { objectionId: withdrawn.id, type: "withdrawn", ...actorColumns(actor) },
    });
    await enqueueJob(tx, { queue: QUEUES.objectionWithdrawal.name, data: { objectionId: withdrawn.id } });
    await sqlOn(tx).query(RECORD_WITHDRAWAL_EVENT_SQL, [withdrawn.id]);
    return withdrawn;
  });
};
