import "server-only";

import { db } from "@/lib/db";
import { jobs, prismaJobExecutor, QUEUES } from "@/lib/jobs";

/** Who withdrew: the member (status page) or the platform (its in-app setting switched back). */
export type TWithdrawalActor = { type: "member"; memberId: string } | { type: "platform" };

/**
 * Withdraws the member's live objection: status `withdrawn`, its reason erased (a withdrawn
 * objection keeps no free text), a pending rejection dropped, a `withdrawn` event and the
 * confirmation email's job, all in one transaction. The export's triggers mark the change, so
 * the next delta removes the objector. Returns null when nothing was live (already withdrawn,
 * or never made): a repeated call changes nothing. The member may object again at once.
 */
export const withdrawObjection = async ({ memberId, actor }: { memberId: string; actor: TWithdrawalActor }) => {
  const boss = await jobs();
  return db().$transaction(async (tx) => {
    const [withdrawn] = await tx.objection.updateManyAndReturn({
      where: { memberId, status: "effective" },
      data: { status: "withdrawn", withdrawnAt: new Date(), reason: null, rejectionReason: null, rejectionRequestedBy: null, rejectionRequestedAt: null },
      select: { id: true, withdrawnAt: true },
    });
    if (!withdrawn) return null;
    await tx.objectionEvent.create({
      data: {
        objectionId: withdrawn.id,
        type: "withdrawn",
        actorType: actor.type === "member" ? "member" : "system",
        actorId: actor.type === "member" ? actor.memberId : "platform",
      },
    });
    await boss.send(QUEUES.objectionWithdrawal.name, { objectionId: withdrawn.id }, { db: prismaJobExecutor(tx) });
    return withdrawn;
  });
};
