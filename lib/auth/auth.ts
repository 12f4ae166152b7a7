import "server-only";

import NextAuth, { type NextAuthConfig } from "next-auth";
import Nodemailer from "next-auth/providers/nodemailer";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { adminAdapter } from "@/lib/auth/admin-adapter";
import { ADMIN_PATHS } from "@/lib/auth/admin-paths";
import { isBootstrapAdmin } from "@/lib/auth/bootstrap-admins";
import { redirectWithinApp } from "@/lib/auth/redirect-within-app";
import { sendSignInEmail, SIGN_IN_LINK_MINUTES } from "@/lib/auth/send-sign-in-email";
import { takeSignInEmail } from "@/lib/auth/sign-in-rate-limit";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { redactAddresses } from "@/lib/mail";
import { normaliseEmail } from "@/lib/members/normalise-email";
import { logger } from "@/lib/logger";

export const SESSION_IDLE_SECONDS = 8 * 60 * 60;

// An admin whose access was removed stays out, even if ADMIN_EMAILS still lists the address.
const mayHaveAccount = async (email: string) => {
  const user = await db().adminUser.findUnique({ where: { email: normaliseEmail(email) }, select: { disabledAt: true } });
  if (user) return !user.disabledAt;
  return isBootstrapAdmin(email);
};

/**
 * Auth.js for the admin console. Created per request from the validated environment, so that
 * `next build` needs none of it. Sessions live in the database and slide: each request more than
 * five minutes after the last pushes expiry to 8 hours ahead, so a session ends after 8 hours idle.
 */
export const { handlers, auth, signIn, signOut } = NextAuth(() => authConfig());

const authConfig = (): NextAuthConfig => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
  adapter: adminAdapter(),
  session: { strategy: "database", maxAge: SESSION_IDLE_SECONDS, updateAge: 5 * 60 },
  // Auth.js's own log lines carry error messages; an address must never reach one.
  logger: { error: (error) => logger().error({ event: "auth_error", error: error.name }, redactAddresses(error.message)) },
  pages: { signIn: ADMIN_PATHS.signIn, verifyRequest: ADMIN_PATHS.checkEmail, error: ADMIN_PATHS.signInError },
  providers: [
    Nodemailer({
      server: env().SMTP_URL,
      from: env().MAIL_FROM,
      maxAge: SIGN_IN_LINK_MINUTES * 60,
      normalizeIdentifier: normaliseEmail,
      sendVerificationRequest: ({ identifier, url }) => sendSignInEmail({ to: identifier, url }),
    }),
  ],
  callbacks: {
    // Someone off the list, or over the hourly limit, lands on the same "check your inbox" page as
    // everyone else, and no email goes out: the answer never tells who is an admin.
    signIn: async ({ user, email }) => {
      if (!user.email || !(await mayHaveAccount(user.email))) return ADMIN_PATHS.checkEmail;
      if (email?.verificationRequest && !(await takeSignInEmail(normaliseEmail(user.email)))) return ADMIN_PATHS.checkEmail;
      return true;
    },
    redirect: ({ url }) => redirectWithinApp({ url, appUrl: env().APP_URL }),
    session: ({ session, user }) => ({ ...session, user: { id: user.id, email: user.email } }),
  },
  events: {
    signIn: async ({ user }) => {
      if (user.id) await recordAuditEvent(db(), { actor: { id: user.id }, action: "sign_in" });
    },
    signOut: async (message) => {
      if ("session" in message && message.session?.userId) await recordAuditEvent(db(), { actor: { id: message.session.userId }, action: "sign_out" });
    },
  },
});
