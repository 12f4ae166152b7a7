import "server-only";

import { createElement } from "react";

import { ADMIN_INVITATION_SUBJECT, AdminInvitation } from "@/emails/admin-invitation";
import type { TInviteAdmin } from "@/lib/admins/schema";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors/app-error";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { ADMIN_PATHS } from "@/lib/auth/admin-paths";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { sendEmail } from "@/lib/mail";
import { normaliseEmail } from "@/lib/members/normalise-email";
import { logger } from "@/lib/logger";

/**
 * Gives an address access with a role and emails the invitation. Someone whose access was removed
 * can be invited again: the same row comes back, so their audit trail stays one person's. The
 * audit event names the role and the new admin's id, never the address.
 */
export const inviteAdmin = async ({ actor, invitation }: { actor: TActor; invitation: TInviteAdmin }) => {
  assertRole(actor, "admin");
  const email = normaliseEmail(invitation.email);
  const { role } = invitation;
  const invited = await db()
    .$transaction(async (tx) => {
      const existing = await tx.adminUser.findUnique({ where: { email }, select: { id: true, disabledAt: true } });
      if (existing && !existing.disabledAt) throw new AppError("conflict", { message: "This address already has access. Change its role in the list instead." });
      const admin = existing
        ? await tx.adminUser.update({ where: { id: existing.id }, data: { role, disabledAt: null, invitedById: actor.id }, select: { id: true } })
        : await tx.adminUser.create({ data: { email, role, invitedById: actor.id }, select: { id: true } });
      await recordAuditEvent(tx, { actor, action: "invitation", target: { type: "admin", id: admin.id }, detail: { role } });
      return admin;
    })
    // Two admins inviting the same address at once: the unique email lets one in.
    .catch((error: unknown) => {
      if ((error as { code?: string }).code === "P2002") throw new AppError("conflict", { message: "This address was given access a moment ago. Reload the list." });
      throw error;
    });

  // After the commit: the access exists whatever the mail server does, and sign-in sends its own link.
  try {
    await sendEmail({
      to: email,
      subject: ADMIN_INVITATION_SUBJECT,
      email: createElement(AdminInvitation, { signInUrl: `${env().APP_URL}${ADMIN_PATHS.signIn}`, role: ROLE_LABELS[role].toLowerCase() }),
    });
    return { id: invited.id, emailed: true };
  } catch (error) {
    logger().warn({ event: "invitation_email_failed", adminId: invited.id, error }, "the invitation email was not sent");
    return { id: invited.id, emailed: false };
  }
};
