import "server-only";

import { LIST_ADMINS_SQL, type TAdminListRow } from "@/lib/admins/admin-sql";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { readOnReplica } from "@/lib/read-replica/read-on-replica";

export type TTeamMember = TAdminListRow;

/**
 * Everyone who has or had access: active admins first, then removed ones (kept for the audit
 * trail). The team is tens of people, so no paging. Last sign-in comes from the audit trail.
 * From the replica unless `primary`.
 */
export const listAdmins = async ({ actor, primary }: { actor: TActor; primary?: boolean }): Promise<TTeamMember[]> => {
  assertRole(actor, "admin");
  const { rows } = await readOnReplica(({ pool }) => pool.query<TAdminListRow>(LIST_ADMINS_SQL), { primary });
  return rows;
};
