import "server-only";

import { headers } from "next/headers";
import NextAuth, { type NextAuthConfig } from "next-auth";
import Nodemailer from "next-auth/providers/nodemailer";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { systemActor } from "@/lib/auth/actor";
import { adminAdapter } from "@/lib/auth/admin-adapter";
import { ADMIN_PATHS } from "@/lib/auth/admin-paths";
import { admitSsoUser } from "@/lib/auth/admit-sso-user";
import { authErrorSummary } from "@/lib/auth/auth-error-summary";
import { mayHaveAccount } from "@/lib/auth/may-have-account";
import { queueSignInEmail } from "@/lib/auth/queue-sign-in-email";
import { redirectWithinApp } from "@/lib/auth/redirect-within-app";
import { SIGN_IN_LINK_MINUTES } from "@/lib/auth/send-sign-in-email";
import { signInContext, type TSignInContext } from "@/lib/auth/sign-in-context";
import { takeSignInRequest } from "@/lib/auth/sign-in-rate-limit";
import { SSO_PROVIDER_ID, ssoProfile, ssoProvider, type TSsoProfile } from "@/lib/auth/sso-provider";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { clientIp } from "@/lib/http/client-ip";
import { QUEUES } from "@/lib/jobs";
import { normaliseEmail } from "@/lib/members/normalise-email";
import { logger } from "@/lib/logger";

export const SESSION_IDLE_SECONDS = 8 * 60 * 60;

/**
 * Auth.js for the admin console. Created per request from the validated environment, so that
 * `next build` needs none of it. Sessions live in the database and slide: each request more than
 * five minutes after the last pushes expiry to 8 hours ahead, so a session ends after 8 hours idle.
 */
export const { handlers, auth, signIn, signOut } = NextAuth((request) => authConfig(request));

// The route handlers are given their request; a server action's signIn() is not, and reads the
// request's headers from Next instead.
const requestHeaders = async (request: Request | undefined) => request?.headers ?? (await headers());

/**
 * A sign-in or sign-out, audited as the admin it was: the role the database holds now, as every
 * admin actor has. A single sign-on also records the provider's subject and the role its groups map to.
 */
const auditSession = async ({ adminId, action, context }: { adminId: string; action: "sign_in" | "sign_out"; context?: TSignInContext }) => {
  const admin = await db().adminUser.findUnique({ where: { id: adminId }, select: { id: true, role: true } });
  const method = action === "sign_in" ? context?.method : undefined;
  const sso = context?.sso;
  const detail = method === "sso" && sso ? { method, subject: sso.subject, mappedRole: sso.mappedRole } : method === "break_glass" ? { method } : undefined;
  if (admin) await recordAuditEvent(db(), { actor: { kind: "admin", ...admin }, action, detail });
};

/** A single sign-on, decided: true lets Auth.js create the session; a refusal shows the console's "no access" page. */
const signInBySso = async ({ profile, refreshToken, context }: { profile: TSsoProfile; refreshToken: string | null; context: TSignInContext }) => {
  const admission = await admitSsoUser({ profile });
  if (!admission.admitted) return ADMIN_PATHS.noAccess;
  context.method = "sso";
  context.sso = { subject: profile.id, refreshToken, mappedRole: admission.mappedRole };
  return true;
};

const authConfig = (request?: Request): NextAuthConfig => {
  const context = signInContext(request?.headers);
  const sso = ssoProvider();
  return config({ request, context, sso });
};

const config = ({ request, context, sso }: { request?: Request; context: TSignInContext; sso: ReturnType<typeof ssoProvider> }): NextAuthConfig => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
  adapter: adminAdapter(context),
  session: { strategy: "database", maxAge: SESSION_IDLE_SECONDS, updateAge: 5 * 60 },
  // Auth.js's own log lines carry error messages and, for a failed single sign-on, the provider's
  // answer (an ID token's name, subject and groups): only the kind of error and its code are logged.
  logger: { error: (error) => logger().error({ event: "auth_error", authError: authErrorSummary(error) }, "Auth.js error") },
  pages: { signIn: ADMIN_PATHS.signIn, verifyRequest: ADMIN_PATHS.checkEmail, error: ADMIN_PATHS.signInError },
  providers: [
    Nodemailer({
      server: env().SMTP_URL,
      from: env().MAIL_FROM,
      maxAge: SIGN_IN_LINK_MINUTES * 60,
      normalizeIdentifier: normaliseEmail,
      sendVerificationRequest: ({ url }) => queueSignInEmail({ actor: systemActor(QUEUES.adminSignIn.name), url }),
    }),
    ...(sso ? [sso] : []),
  ],
  callbacks: {
    // Asking for a link does the same work for every address, an admin's or not: the limits are
    // counted, a token is stored and the email queued. The worker sends it only to an address that
    // may sign in (lib/auth/send-queued-sign-in-email.ts), so neither the answer nor its timing tells
    // who is an admin. Over a limit, the same redirect as a link sent, and nothing is stored.
    signIn: async ({ user, email, account, profile }) => {
      if (account?.provider === SSO_PROVIDER_ID) {
        const sso = await ssoProfile({ subject: account.providerAccountId, idTokenClaims: profile ?? {}, accessToken: account.access_token });
        return signInBySso({ profile: sso, refreshToken: account.refresh_token ?? null, context });
      }
      if (!user.email) return ADMIN_PATHS.checkEmail;
      if (email?.verificationRequest) {
        const ip = clientIp(await requestHeaders(request));
        return (await takeSignInRequest({ email: normaliseEmail(user.email), ip })) ? true : ADMIN_PATHS.linkSent;
      }
      // Opening the link: only someone who may sign in gets a session. With the emailed link
      // otherwise off, only a break-glass address gets this far by link.
      if (!(await mayHaveAccount(user.email))) return ADMIN_PATHS.checkEmail;
      context.method = env().ADMIN_EMAIL_SIGN_IN === "0" ? "break_glass" : "email";
      return true;
    },
    redirect: ({ url }) => redirectWithinApp({ url, appUrl: env().APP_URL }),
    session: ({ session, user }) => ({ ...session, user: { id: user.id, email: user.email } }),
  },
  events: {
    signIn: async ({ user }) => {
      if (user.id) await auditSession({ adminId: user.id, action: "sign_in", context });
    },
    signOut: async (message) => {
      if ("session" in message && message.session?.userId) await auditSession({ adminId: message.session.userId, action: "sign_out" });
    },
  },
});
