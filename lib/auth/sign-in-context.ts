import type { TAdminRole } from "@/lib/auth/roles";
import type { AdminSignInMethod } from "@/lib/generated/prisma/enums";

/**
 * What one sign-in request learns before Auth.js creates its session, for the session and its audit
 * event to record: Auth.js's createSession is told only the user and the expiry. One object per
 * request (lib/auth/auth.ts builds Auth.js's config per request), written by the signIn callback.
 */
export type TSignInContext = {
  userAgent: string | null;
  /** Decided once, by the signIn callback; a session created without it is an emailed link's. */
  method?: AdminSignInMethod;
  sso?: { subject: string; refreshToken: string | null; mappedRole: TAdminRole | null };
};

const USER_AGENT_MAX = 200;

export const signInContext = (headers: Headers | undefined): TSignInContext => ({ userAgent: headers?.get("user-agent")?.slice(0, USER_AGENT_MAX) || null });
