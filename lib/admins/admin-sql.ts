import "server-only";

import type { TAdminRole } from "@/lib/auth/roles";

/** An admin's role and whether their access was removed. */
export type TAdminRoleRow = { role: string; disabledAt: Date | null };

/**
 * The admin with id $1, locked until the transaction ends (FOR UPDATE, which Prisma cannot say):
 * two admins changing the same person at once each record the true "from".
 */
export const LOCK_ADMIN_ROLE_SQL = `SELECT role::text AS role, "disabledAt" FROM "AdminUser" WHERE id = $1::uuid FOR UPDATE`;

/** An admin as the team page lists them: last sign-in from the audit trail, the inviter by address. */
export type TAdminListRow = {
  id: string;
  email: string;
  role: TAdminRole;
  createdAt: Date;
  disabledAt: Date | null;
  lastSignInAt: Date | null;
  invitedByEmail: string | null;
};

/** Everyone who has or had access: active admins first, then removed ones. */
export const LIST_ADMINS_SQL = `
  SELECT a.id, a.email, a.role::text AS role, a."createdAt", a."disabledAt", inviter.email AS "invitedByEmail",
         (SELECT max(e."createdAt") FROM "AuditEvent" e WHERE e."actorId" = a.id AND e.action = 'sign_in') AS "lastSignInAt"
    FROM "AdminUser" a
    LEFT JOIN "AdminUser" inviter ON inviter.id = a."invitedById"
   ORDER BY a."disabledAt" IS NOT NULL, a.email`;
