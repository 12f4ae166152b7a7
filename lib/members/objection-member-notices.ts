import "server-only";

import { assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { memberNoticeRecords, type TMemberNotices } from "@/lib/notifications/member-notice-history";
import { ZObjectionId } from "@/lib/objections/admin/schema";

/**
 * The notices of the member an objection belongs to, for the objection page: null while the
 * objection is not matched to a member (or there is no such objection). The external id is left
 * out: the objection page shows it only when a reviewer reveals it.
 */
export const objectionMemberNotices = async ({ actor, objectionId }: { actor: TActor; objectionId: string }): Promise<Omit<TMemberNotices, "externalId"> | null> => {
  assertRole(actor, "viewer");
  if (!ZObjectionId.safeParse(objectionId).success) return null;
  const objection = await db().objection.findUnique({ where: { id: objectionId }, select: { memberId: true } });
  if (!objection?.memberId) return null;
  const found = await memberNoticeRecords({ memberId: objection.memberId });
  if (!found) return null;
  return { memberId: found.memberId, suppression: found.suppression, notices: found.notices };
};
