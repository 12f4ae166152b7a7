import "server-only";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { systemActor } from "@/lib/auth/actor";
import { isBootstrapAdmin } from "@/lib/auth/bootstrap-admins";
import type { TAdminRole } from "@/lib/auth/roles";
import { SSO_PROVIDER_ID, type TSsoProfile } from "@/lib/auth/sso-provider";
import { roleFromClaims } from "@/lib/auth/sso-role";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { normaliseEmail } from "@/lib/members/normalise-email";

/** Why a single sign-on was refused: the audit event's detail says which, never the address. */
export type TSsoRefusal = "no_email" | "email_not_verified" | "access_removed" | "no_role";

export type TSsoAdmission = { admitted: true; adminId: string; role: TAdminRole; mappedRole: TAdminRole | null } | { admitted: false; reason: TSsoRefusal };

/** Role changes and refusals by a sign-in are the provider's decisions, applied by this rule. */
export const SSO_ACTOR = systemActor("single-sign-on");

/**
 * Decides a single sign-on before Auth.js creates a session: the address must be verified by the
 * provider, access not removed here, and the role comes from the provider's groups
 * (lib/auth/sso-role.ts). An admitted user's row is created or their role brought in line with the
 * provider, audited with the subject and the mapped role; a refusal creates nothing but its audit event.
 */
export const admitSsoUser = async ({ profile }: { profile: TSsoProfile }): Promise<TSsoAdmission> => {
  const { ADMIN_OIDC_ROLE_MAP, ADMIN_OIDC_ROLES_CLAIM } = env();
  // Before anything is looked up: a refusal's audit names the mapped role too. The invited role counts only without a map.
  const decide = (invited: TAdminRole | null) => roleFromClaims({ claims: profile.claims, invited, rolesClaim: ADMIN_OIDC_ROLES_CLAIM, roleMap: ADMIN_OIDC_ROLE_MAP });
  const { mapped } = decide(null);
  const refuse = async (reason: TSsoRefusal, adminId?: string): Promise<TSsoAdmission> => {
    await recordAuditEvent(db(), { actor: SSO_ACTOR, action: "sign_in_refused", target: adminId ? { type: "admin", id: adminId } : undefined, detail: { subject: profile.id, reason, mappedRole: mapped } });
    return { admitted: false, reason };
  };
  if (!profile.email) return refuse("no_email");
  if (!profile.ssoEmailVerified) return refuse("email_not_verified");
  const email = normaliseEmail(profile.email);

  // The subject finds an admin who signed in this way before, whatever their address is now.
  const linked = await db().adminAccount.findUnique({ where: { provider_providerAccountId: { provider: SSO_PROVIDER_ID, providerAccountId: profile.id } }, select: { user: true } });
  const existing = linked?.user ?? (await db().adminUser.findUnique({ where: { email } }));
  if (existing?.disabledAt) return refuse("access_removed", existing.id);
  const { role } = decide(existing?.role ?? (isBootstrapAdmin(email) ? "admin" : null));
  if (!role) return refuse("no_role", existing?.id);

  const adminId = await db().$transaction(async (tx) => {
    // Two first sign-ins at once (two tabs) both get here: the second's insert does nothing and it
    // takes the row the first made, with the role the same groups gave.
    if (!existing) {
      await tx.adminUser.createMany({ data: [{ email, role, emailVerified: new Date() }], skipDuplicates: true });
      return (await tx.adminUser.findUniqueOrThrow({ where: { email }, select: { id: true } })).id;
    }
    if (existing.role !== role) {
      await tx.adminUser.update({ where: { id: existing.id }, data: { role } });
      await recordAuditEvent(tx, { actor: SSO_ACTOR, action: "role_change", target: { type: "admin", id: existing.id }, detail: { from: existing.role, to: role, subject: profile.id, mappedRole: mapped } });
    }
    return existing.id;
  });
  return { admitted: true, adminId, role, mappedRole: mapped };
};
