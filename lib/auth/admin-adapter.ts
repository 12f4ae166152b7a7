import "server-only";

import type { Adapter, AdapterSession, AdapterUser } from "next-auth/adapters";

import { hashSessionToken } from "@/lib/auth/hash-session-token";
import { isBootstrapAdmin } from "@/lib/auth/bootstrap-admins";
import type { TSignInContext } from "@/lib/auth/sign-in-context";
import { ssoCheckIntervalMinutes } from "@/lib/auth/sso-check-interval";
import { sealSsoToken } from "@/lib/auth/sso-token-box";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { AdminUser } from "@/lib/generated/prisma/client";
import { PrismaClientKnownRequestError } from "@/lib/generated/prisma/internal/prismaNamespace";
import { normaliseEmail } from "@/lib/members/normalise-email";

const toAdapterUser = (user: Pick<AdminUser, "id" | "email" | "emailVerified">): AdapterUser => ({ id: user.id, email: user.email, emailVerified: user.emailVerified });

/** A single-row delete of a row that is already gone (P2025) gives null: Auth.js asks for it once, and a race may take it first. */
const nullWhenGone = <T>(deleted: Promise<T>) =>
  deleted.catch((error: unknown) => {
    if (error instanceof PrismaClientKnownRequestError && error.code === "P2025") return null;
    throw error;
  });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Auth.js's database adapter over the project's own Prisma client (the official one imports
 * `@prisma/client`, which this project generates elsewhere). By email link, a user is created only
 * for an address in ADMIN_EMAILS (the signIn callback lets no one else through), and starts as
 * `admin`; invited admins exist before their first sign-in. By single sign-on, the signIn callback
 * creates the user (lib/auth/admit-sso-user.ts), and Auth.js links the provider's subject here.
 * `context` is the request's: the session records how it began and in which browser.
 */
export const adminAdapter = (context?: TSignInContext): Adapter => ({
  createUser: async ({ email, emailVerified }) => {
    const normalised = normaliseEmail(email);
    const user = await db().adminUser.create({ data: { email: normalised, emailVerified, role: isBootstrapAdmin(normalised) ? "admin" : "viewer" } });
    return toAdapterUser(user);
  },
  getUser: async (id) => {
    if (!UUID.test(id)) return null;
    const user = await db().adminUser.findFirst({ where: { id, disabledAt: null } });
    return user ? toAdapterUser(user) : null;
  },
  getUserByEmail: async (email) => {
    const user = await db().adminUser.findFirst({ where: { email: normaliseEmail(email), disabledAt: null } });
    return user ? toAdapterUser(user) : null;
  },
  getUserByAccount: async ({ provider, providerAccountId }) => {
    const account = await db().adminAccount.findUnique({ where: { provider_providerAccountId: { provider, providerAccountId } }, select: { user: true } });
    return account && !account.user.disabledAt ? toAdapterUser(account.user) : null;
  },
  updateUser: async ({ id, emailVerified }) => {
    const user = await db().adminUser.update({ where: { id }, data: { emailVerified } });
    return toAdapterUser(user);
  },
  // Only the subject is kept: the tokens a session needs are sealed on the session itself. Two
  // first sign-ins at once both link: the second finds the link made.
  linkAccount: async ({ provider, providerAccountId, userId }) => {
    await db().adminAccount.createMany({ data: [{ provider, providerAccountId, userId }], skipDuplicates: true });
  },
  createSession: async ({ sessionToken, userId, expires }) => {
    const sso = context?.sso;
    await db().adminSession.create({
      data: {
        sessionToken: hashSessionToken(sessionToken),
        userId,
        expires,
        userAgent: context?.userAgent ?? null,
        method: context?.method ?? "email",
        ssoSubject: sso?.subject ?? null,
        ssoRefreshToken: sso?.refreshToken ? sealSsoToken(sso.refreshToken) : null,
        ssoCheckAt: sso ? new Date(Date.now() + ssoCheckIntervalMinutes(env().ADMIN_SSO_RECHECK_MINUTES) * 60_000) : null,
      },
    });
    return { sessionToken, userId, expires };
  },
  getSessionAndUser: async (sessionToken) => {
    const session = await db().adminSession.findUnique({ where: { sessionToken: hashSessionToken(sessionToken) }, include: { user: true } });
    if (!session || session.user.disabledAt) return null;
    const adapterSession: AdapterSession = { sessionToken, userId: session.userId, expires: session.expires };
    return { session: adapterSession, user: toAdapterUser(session.user) };
  },
  updateSession: async ({ sessionToken, expires }) => {
    const { count } = await db().adminSession.updateMany({ where: { sessionToken: hashSessionToken(sessionToken) }, data: { expires } });
    return count > 0 && expires ? { sessionToken, userId: "", expires } : null;
  },
  // Auth.js hands the deleted session to events.signOut, which audits who signed out.
  deleteSession: async (sessionToken) => {
    const deleted = await nullWhenGone(db().adminSession.delete({ where: { sessionToken: hashSessionToken(sessionToken) }, select: { userId: true, expires: true } }));
    return deleted ? { sessionToken, userId: deleted.userId, expires: deleted.expires } : null;
  },
  createVerificationToken: async (token) => {
    await db().adminVerificationToken.create({ data: { token: token.token, identifier: normaliseEmail(token.identifier), expires: token.expires } });
    return token;
  },
  // The sign-in link carries no address (see send-sign-in-email.ts): the hashed token alone finds it, once.
  useVerificationToken: async ({ token }) => {
    const found = await nullWhenGone(db().adminVerificationToken.delete({ where: { token }, select: { identifier: true, token: true, expires: true } }));
    return found ? { identifier: found.identifier, token: found.token, expires: found.expires } : null;
  },
});
