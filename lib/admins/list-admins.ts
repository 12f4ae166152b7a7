import "server-only";

import { assertRole, type TActor } from "@/lib/auth/actor";
import type { TAdminRole } from "@/lib/auth/roles";
import { pgPool } from "@/lib/pg";

export type TTeamMember = {
  id: string;
  email: string;
  role: TAdminRole;
  createdAt: Date;
  disabledAt: Date | null;
  lastSignInAt: Date | null;
  invitedByEmail: string | null;
};

/**
 * Everyone who has or had access: active admins first, then removed ones (kept for the audit
 * trail). The team is tens of people, so no paging. Last sign-in comes from the audit trail.
 */
export const listAdmins = async ({ actor }: { actor: TActor }): Promise<TTeamMember[]> => {
  assertRole(actor, "admin");
  const { rows } = await pgPool().query<TTeamMember>(
    `SELECT a.id, a.email, a.role::text AS role, a."createdAt", a."disabledAt", inviter.email AS "invitedByEmail",
            (SELECT max(e."createdAt") FROM "AuditEvent" e WHERE e."actorId" = a.id AND e.action = 'sign_in') AS "lastSignInAt"
       FROM "AdminUser" a
       LEFT JOIN "AdminUser" inviter ON inviter.id = a."invitedById"
      ORDER BY a."disabledAt" IS NOT NULL, a.email`,
  );
  return rows;
};
