import "server-only";

import { LIST_ADMINS_SQL, type TAdminListRow } from "@/lib/admins/admin-sql";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { pgPool } from "@/lib/pg";

export type TTeamMember = TAdminListRow;

/**
 * Everyone who has or had access: active admins first, then removed ones (kept for the audit
 * trail). The team is tens of people, so no paging. Last sign-in comes from the audit trail.
 */
export const listAdmins = async ({ actor }: { actor: TActor }): Promise<TTeamMember[]> => {
  assertRole(actor, "admin");
  const { rows } = await pgPool().query<TAdminListRow>(LIST_ADMINS_SQL);
  return rows;
};
