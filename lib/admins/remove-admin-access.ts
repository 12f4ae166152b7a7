import "server-only";

import type { TRemoveAdminAccess } from "@/lib/admins/schema";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors/app-error";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";

/**
 * Ends another admin's access at once: the row stays (the audit trail points at it), its sessions
 * go, and sign-in refuses a disabled address. Nobody removes themselves, for the same reason
 * nobody demotes themselves.
 */
export const removeAdminAccess = async ({ actor, removal: { adminId } }: { actor: TActor; removal: TRemoveAdminAccess }) => {
  assertRole(actor, "admin");
  if (adminId === actor.id) throw new AppError("conflict", { message: "You cannot remove your own access. Ask another admin, so the console always keeps an admin." });
  return db().$transaction(async (tx) => {
    const { count } = await tx.adminUser.updateMany({ where: { id: adminId, disabledAt: null }, data: { disabledAt: new Date() } });
    if (count === 0) {
      const exists = await tx.adminUser.findUnique({ where: { id: adminId }, select: { id: true } });
      throw exists ? new AppError("conflict", { message: "This admin's access was already removed." }) : new AppError("not_found", { message: "No admin has this id." });
    }
    const { count: sessions } = await tx.adminSession.deleteMany({ where: { userId: adminId } });
    await recordAuditEvent(tx, { actor, action: "access_removed", target: { type: "admin", id: adminId }, detail: { sessionsEnded: sessions } });
    return { sessionsEnded: sessions };
  });
};
