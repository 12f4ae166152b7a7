import "server-only";

import { db } from "@/lib/db";
import { memberObjectionState } from "@/lib/objections/member-objection-state";
import { withdrawObjection } from "@/lib/objections/withdraw-objection";

/** The platform's withdrawal: by the member's external id; the state after it, or null for an unknown member. */
export const withdrawMemberObjection = async (externalId: string) => {
  const member = await db().member.findUnique({ where: { externalId }, select: { id: true } });
  if (!member) return null;
  const withdrawn = await withdrawObjection({ memberId: member.id, actor: { type: "platform" } });
  const state = await memberObjectionState(externalId);
  return state && { ...state, withdrawn: !!withdrawn };
};
