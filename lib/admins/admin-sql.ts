import "server-only";

/** An admin's role and whether their access was removed. */
export type TAdminRoleRow = { role: string; disabledAt: Date | null };

/**
 * The admin with id $1, locked until the transaction ends (FOR UPDATE, which Prisma cannot say):
 * two admins changing the same person at once each record the true "from".
 */
export const LOCK_ADMIN_ROLE_SQL = `SELECT role::text AS role, "disabledAt" FROM "AdminUser" WHERE id = $1::uuid FOR UPDATE`;
