import "server-only";

import type { TAdminRole } from "@/lib/auth/roles";

/** A single sign-on session claimed for its check, with what its admin is now. */
export type TDueSsoSessionRow = {
  id: string;
  userId: string;
  ssoSubject: string | null;
  /** Sealed (lib/auth/sso-token-box.ts); null when the provider issued none. */
  ssoRefreshToken: string | null;
  expires: Date;
  role: TAdminRole;
  disabledAt: Date | null;
};

/**
 * Claims at most $1 single sign-on sessions whose check is due, oldest first, and pushes their
 * next check $2 minutes ahead in the same statement: a session is checked by one worker at a time
 * (SKIP LOCKED; a worker that locks it after another's commit re-reads the pushed time and drops
 * it), and a worker that dies mid-check leaves it for the next round rather than for ever. The
 * ssoCheckAt index finds the due rows: email sessions have none, so the claim reads what it takes.
 * Ids from an array, by the primary key: a join with the CTE can make the planner scan the table.
 */
export const CLAIM_DUE_SSO_SESSIONS_SQL = `
  WITH due AS (
    SELECT id FROM "AdminSession"
     WHERE "ssoCheckAt" <= now() AND method = 'sso'
     ORDER BY "ssoCheckAt"
     LIMIT $1
     FOR UPDATE SKIP LOCKED
  )
  UPDATE "AdminSession" s SET "ssoCheckAt" = now() + $2 * interval '1 minute'
    FROM "AdminUser" u
   WHERE s.id = ANY (ARRAY(SELECT id FROM due)) AND u.id = s."userId"
  RETURNING s.id::text AS id, s."userId"::text AS "userId", s."ssoSubject", s."ssoRefreshToken", s.expires, u.role::text AS role, u."disabledAt"`;
