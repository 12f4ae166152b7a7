import "server-only";

import type { TEndAllSessionsOf } from "@/lib/admins/schema";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Signs another admin out everywhere (a lost laptop, a shared screen): every session of theirs
 * goes, their access stays. Admins only. Not for oneself: the sessions page ends one's own, one
 * by one, so nobody signs themselves out of the browser they are using by surprise.
 */
export const endAllSessionsOf = async ({ actor, adminId }: { actor: TActor; adminId: TEndAllSessionsOf["adminId"] }) => {
  assertRole(actor, "admin");
  if (adminId === actor.id) throw new AppError("conflict", { message: "To end your own sessions, use the Sessions page." });
  const notFound = new AppError("not_found", { message: "No admin has this id." });
  if (!UUID.test(adminId)) throw notFound;
  return db().$transaction(async (tx) => {
    const target = await tx.adminUser.findUnique({ where: { id: adminId }, select: { id: true } });
    if (!target) throw notFound;
    const { count } = await tx.adminSession.deleteMany({ where: { userId: adminId } });
    await recordAuditEvent(tx, { actor, action: "sessions_end_all", target: { type: "admin", id: adminId }, detail: { count } });
    return { count };
  });
};
