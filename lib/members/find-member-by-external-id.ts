import "server-only";

import { assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { ZExternalId } from "@/lib/members/schema";

/** The member lookup: an exact external id, as the platform spells it, to the member's id; null when none has it. */
export const findMemberByExternalId = async ({ actor, externalId }: { actor: TActor; externalId: string }): Promise<{ id: string } | null> => {
  assertRole(actor, "viewer");
  const parsed = ZExternalId.safeParse(externalId);
  if (!parsed.success) return null;
  return db().member.findUnique({ where: { externalId: parsed.data }, select: { id: true } });
};
