"use server";

import { revalidatePath } from "next/cache";

import { changeAdminRole } from "@/lib/admins/change-admin-role";
import { endAllSessionsOf } from "@/lib/admins/end-all-sessions-of";
import { inviteAdmin } from "@/lib/admins/invite-admin";
import { removeAdminAccess } from "@/lib/admins/remove-admin-access";
import { ZChangeAdminRole, ZEndAllSessionsOf, ZInviteAdmin, ZRemoveAdminAccess } from "@/lib/admins/schema";
import { adminAction } from "@/lib/auth/admin-action";
import { ROLE_LABELS } from "@/lib/auth/roles";

const TEAM_PATH = "/admin/team";

export const inviteAdminAction = adminAction({
  schema: ZInviteAdmin,
  run: async ({ actor, input }) => {
    const { emailed } = await inviteAdmin({ actor, invitation: input });
    revalidatePath(TEAM_PATH);
    return emailed
      ? { ok: true, message: `Invitation sent. They sign in with that address as ${ROLE_LABELS[input.role].toLowerCase()}.` }
      : { ok: true, message: "Access given, but the invitation email could not be sent. Tell them to sign in at /admin/sign-in with that address." };
  },
});

export const changeAdminRoleAction = adminAction({
  schema: ZChangeAdminRole,
  run: async ({ actor, input }) => {
    const { changed } = await changeAdminRole({ actor, change: input });
    revalidatePath(TEAM_PATH);
    return { ok: true, message: changed ? `Role changed to ${ROLE_LABELS[input.role].toLowerCase()}.` : "The role was already that." };
  },
});

export const removeAdminAccessAction = adminAction({
  schema: ZRemoveAdminAccess,
  run: async ({ actor, input }) => {
    await removeAdminAccess({ actor, removal: input });
    revalidatePath(TEAM_PATH);
    return { ok: true, message: "Access removed. Their sessions ended." };
  },
});

export const endAllSessionsOfAction = adminAction({
  schema: ZEndAllSessionsOf,
  run: async ({ actor, input }) => {
    const { count } = await endAllSessionsOf({ actor, adminId: input.adminId });
    revalidatePath(TEAM_PATH);
    if (count === 0) return { ok: true, message: "They had no sessions: nothing to end." };
    return { ok: true, message: `${count} ${count === 1 ? "session" : "sessions"} ended. They sign in again to continue.` };
  },
});
