import { z } from "zod";

import { ADMIN_ROLES } from "@/lib/auth/roles";
import { emailAddress } from "@/lib/validation/email";

export const ZAdminRole = z.enum(ADMIN_ROLES, { error: "Choose a role: viewer, reviewer or admin." });

export const ZInviteAdmin = z.object({
  email: emailAddress({ error: "Enter a work email address, like name@example.eu." }).max(320, { error: "That address is too long." }),
  role: ZAdminRole,
});

export type TInviteAdmin = z.infer<typeof ZInviteAdmin>;

export const ZChangeAdminRole = z.object({ adminId: z.uuid({ error: "Unknown admin." }), role: ZAdminRole });

export type TChangeAdminRole = z.infer<typeof ZChangeAdminRole>;

export const ZRemoveAdminAccess = z.object({ adminId: z.uuid({ error: "Unknown admin." }) });

export type TRemoveAdminAccess = z.infer<typeof ZRemoveAdminAccess>;

export const ZEndOwnSession = z.object({ sessionId: z.uuid({ error: "Unknown session." }) });

export type TEndOwnSession = z.infer<typeof ZEndOwnSession>;

export const ZEndAllSessionsOf = z.object({ adminId: z.uuid({ error: "Unknown admin." }) });

export type TEndAllSessionsOf = z.infer<typeof ZEndAllSessionsOf>;
