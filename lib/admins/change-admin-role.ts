import "server-only";

import type { TChangeAdminRole } from "@/lib/admins/schema";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors/app-error";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";

/**
 * Changes another admin's role. Nobody changes their own: only admins change roles, so an admin
 * who cannot demote themselves keeps the console from ever losing its last admin.
 */
export const changeAdminRole = async ({ actor, change: { adminId, role } }: { actor: TActor; change: TChangeAdminRole }) => {
  assertRole(actor, "admin");
  if (adminId === actor.id) throw new AppError("conflict", { message: "You cannot change your own role. Ask another admin, so the console always keeps an admin." });
  return db().$transaction(async (tx) => {
    // FOR UPDATE: two admins changing the same person at once record the true "from" each time.
    const rows = await tx.$queryRaw<{ role: string; disabledAt: Date | null }[]>`SELECT role::text AS role, "disabledAt" FROM "AdminUser" WHERE id = ${adminId}::uuid FOR UPDATE`;
    const target = rows[0];
    if (!target) throw new AppError("not_found", { message: "No admin has this id." });
    if (target.disabledAt) throw new AppError("conflict", { message: "This admin's access was removed. Invite them again to give a role." });
    if (target.role === role) return { changed: false };
    await tx.adminUser.update({ where: { id: adminId }, data: { role } });
    await recordAuditEvent(tx, { actor, action: "role_change", target: { type: "admin", id: adminId }, detail: { from: target.role, to: role } });
    return { changed: true };
  });
};
