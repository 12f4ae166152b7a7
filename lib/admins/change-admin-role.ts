import "server-only";

import { LOCK_ADMIN_ROLE_SQL, type TAdminRoleRow } from "@/lib/admins/admin-sql";
import type { TChangeAdminRole } from "@/lib/admins/schema";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors/app-error";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { sqlOn } from "@/lib/pg-tx";

/**
 * Changes another admin's role. Nobody changes their own: only admins change roles, so an admin
 * who cannot demote themselves keeps the console from ever losing its last admin.
 */
export const changeAdminRole = async ({ actor, change: { adminId, role } }: { actor: TActor; change: TChangeAdminRole }) => {
  assertRole(actor, "admin");
  if (adminId === actor.id) throw new AppError("conflict", { message: "You cannot change your own role. Ask another admin, so the console always keeps an admin." });
  return db().$transaction(async (tx) => {
    const rows = await sqlOn(tx).query<TAdminRoleRow>(LOCK_ADMIN_ROLE_SQL, [adminId]);
    const target = rows[0];
    if (!target) throw new AppError("not_found", { message: "No admin has this id." });
    if (target.disabledAt) throw new AppError("conflict", { message: "This admin's access was removed. Invite them again to give a role." });
    if (target.role === role) return { changed: false };
    await tx.adminUser.update({ where: { id: adminId }, data: { role } });
    await recordAuditEvent(tx, { actor, action: "role_change", target: { type: "admin", id: adminId }, detail: { from: target.role, to: role } });
    return { changed: true };
  });
};
