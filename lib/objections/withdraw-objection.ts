import "server-only";

import { db } from "@/lib/db";
import { enqueueJob, jobs, QUEUES } from "@/lib/jobs";
import { LIVE_STATUS, liveObjectionWhere } from "@/lib/objections/live-objection";

/**
 * Who withdrew: the member (status page), the platform (its in-app setting switched back), or
 * whoever holds the status link of an objection no account is matched to yet.
 */
export type TWithdrawalActor = { type: "member"; memberId: string } | { type: "platform" } | { type: "link_holder" };

/**
 * Which objection: the member's live one, or one objection by id (the status page names one
 * objection; an old status link must never withdraw a newer objection made after it).
 */
type TWithdrawalTarget = { memberId: string; objectionId?: never } | { objectionId: string; memberId?: never };

/** The event's actor: a member by id, the platform as a system actor, an unmatched objection's link holder as a member without an id. */
const actorColumns = (actor: TWithdrawalActor) => {
  if (actor.type === "member") return { actorType: "member", actorId: actor.memberId } as const;
  if (actor.type === "platform") return { actorType: "system", actorId: "platform" } as const;
  return { actorType: "member", actorId: "status-link" } as const;
};

/**
 * Withdraws the member's live objection (or the one objection named): status `withdrawn`, its reason erased (a withdrawn
 * objection keeps no free text), a pending rejection dropped, a `withdrawn` event and the
 * confirmation email's job, all in one transaction. The export's triggers mark the change, so
 * the next delta removes the objector. Returns null when nothing was live (already withdrawn,
 * or never made): a repeated call changes nothing. The member may object again at once.
 */
export const withdrawObjection = async ({ actor, ...target }: TWithdrawalTarget & { actor: TWithdrawalActor }) => {
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
    return withdrawn;
  });
};
