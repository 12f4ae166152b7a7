import "server-only";

import { db } from "@/lib/db";
import { type Objection, type ObjectionSource, Prisma } from "@/lib/generated/prisma/client";
import { jobs, prismaJobExecutor, QUEUES } from "@/lib/jobs";
import { findLiveObjection } from "@/lib/objections/find-live-objection";

export type TSubmitObjection = {
  member: { id: string; email: string };
  notificationId: string | null;
  country: string;
  reason?: string;
  source: ObjectionSource;
};

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

/**
 * Stores an objection, effective at once, with its first audit event and its receipt job, in one
 * transaction: all three or none. A repeat (even a concurrent one) returns the stored objection.
 */
export const submitObjection = async ({ member, notificationId, country, reason, source }: TSubmitObjection): Promise<{ objection: Objection; created: boolean }> => {
  const existing = await findLiveObjection(member.id);
  if (existing) return { objection: existing, created: false };

  const boss = await jobs();
  try {
    const objection = await db().$transaction(async (tx) => {
      const created = await tx.objection.create({
        data: { memberId: member.id, notificationId, email: member.email, country, reason, source, status: "effective" },
      });
      await tx.objectionEvent.create({
        data: { objectionId: created.id, type: "created", actorType: "member", actorId: member.id, detail: { source } },
      });
      await boss.send(QUEUES.objectionReceipt.name, { objectionId: created.id }, { db: prismaJobExecutor(tx) });
      return created;
    });
    return { objection, created: true };
  } catch (error) {
    // A concurrent submission won the race on the one-live-objection index: return its objection.
    if (!isUniqueViolation(error)) throw error;
    const winner = await findLiveObjection(member.id);
    if (!winner) throw error;
    return { objection: winner, created: false };
  }
};
