"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";

import { endOwnSession } from "@/lib/admins/end-own-session";
import { ZEndOwnSession } from "@/lib/admins/schema";
import { adminAction } from "@/lib/auth/admin-action";
import { ADMIN_PATHS } from "@/lib/auth/admin-paths";
import { clearSessionCookie, currentSessionToken } from "@/lib/auth/current-session-token";

export const endOwnSessionAction = adminAction({
  schema: ZEndOwnSession,
  run: async ({ actor, input }) => {
    const { current } = await endOwnSession({ actor, sessionId: input.sessionId, currentSessionToken: await currentSessionToken() });
    if (current) {
      // This browser's own session: it is signed out, as by "Sign out" (audited as the session's end).
      await clearSessionCookie();
      redirect(ADMIN_PATHS.signIn);
    }
    revalidatePath("/admin/sessions");
    return { ok: true, message: "Session ended. That browser is signed out at its next request." };
  },
});
