import "server-only";

import { db } from "@/lib/db";
import type { ObjectionStatus } from "@/lib/generated/prisma/enums";
import { LIVE_STATUS, liveObjectionWhere } from "@/lib/objections/live-objection";

export type TMemberObjectionState = {
  externalId: string;
  /** What the platform's in-app setting should show: `objected` while an objection is effective. */
  state: "objected" | "withdrawn" | "rejected" | "none";
  objection: { id: string; status: ObjectionStatus; source: string; effectiveAt: Date; withdrawnAt: Date | null } | null;
};

const OBJECTION_FIELDS = { id: true, status: true, source: true, effectiveAt: true, withdrawnAt: true } as const;

/** A member's objection as the platform shows it: the live one, else the newest; null for an unknown member. */
export const memberObjectionState = async (externalId: string): Promise<TMemberObjectionState | null> => {
  const member = await db().member.findUnique({ where: { externalId }, select: { id: true } });
  if (!member) return null;
  const objection =
    (await db().objection.findFirst({ where: liveObjectionWhere({ rule: "member", memberId: member.id }), select: OBJECTION_FIELDS })) ??
    (await db().objection.findFirst({ where: { memberId: member.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: OBJECTION_FIELDS }));
  const state = !objection ? "none" : objection.status === LIVE_STATUS ? "objected" : objection.status;
  return { externalId, state, objection };
};
