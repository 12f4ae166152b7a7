import type { TAdminRole } from "@/lib/auth/roles";

/**
 * What one sign-in request learns before Auth.js creates its session, for the session to record:
 * Auth.js's createSession is told only the user and the expiry. One object per request
 * (lib/auth/auth.ts builds Auth.js's config per request), written by the signIn callback.
 */
export type TSignInContext = {
  userAgent: string | null;
  sso?: { subject: string; refreshToken: string | null; role: TAdminRole; mappedRole: TAdminRole | null };
};

const USER_AGENT_MAX = 200;

export const signInContext = (headers: Headers | undefined): TSignInContext => ({ userAgent: headers?.get("user-agent")?.slice(0, USER_AGENT_MAX) || null });
