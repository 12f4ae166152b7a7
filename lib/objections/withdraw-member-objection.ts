import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { memberObjectionState } from "@/lib/objections/member-objection-state";
import { withdrawObjection } from "@/lib/objections/withdraw-objection";

/** The platform's withdrawal: by the member's external id; the state after it, or null for an unknown member. */
export const withdrawMemberObjection = async ({ actor, externalId }: { actor: TActor; externalId: string }) => {
  assertActorKind(actor, "platform");
  const member = await db().member.findUnique({ where: { externalId }, select: { id: true } });
  if (!member) return null;
  const withdrawn = await withdrawObjection({ memberId: member.id, actor });
  const state = await memberObjectionState(externalId);
  return state && { ...state, withdrawn: !!withdrawn };
};
