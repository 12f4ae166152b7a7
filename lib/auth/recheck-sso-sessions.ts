import "server-only";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { SSO_ACTOR } from "@/lib/auth/admit-sso-user";
import { CLAIM_DUE_SSO_SESSIONS_SQL, type TDueSsoSessionRow } from "@/lib/auth/recheck-sso-sessions-sql";
import { refreshSsoClaims } from "@/lib/auth/refresh-sso-claims";
import { ssoCheckIntervalMinutes } from "@/lib/auth/sso-check-interval";
import type { TAdminRole } from "@/lib/auth/roles";
import { discoverSsoServer, type TSsoServer } from "@/lib/auth/sso-oauth";
import { roleFromClaims } from "@/lib/auth/sso-role";
import { openSsoToken, sealSsoToken } from "@/lib/auth/sso-token-box";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { pgPool } from "@/lib/pg";

/** Why a check ended a session: the audit event's detail says which, never an address. */
export type TSsoSessionEndReason = "refresh_refused" | "subject_changed" | "no_refresh_token" | "token_unreadable" | "access_removed" | "no_role";

type TCheckOutcome = "kept" | "role_changed" | "ended" | "deferred" | "expired";

export type TRecheckTally = Record<TCheckOutcome, number>;

const BATCH_SIZE = 100;
/** Sessions checked side by side: a slow provider answer holds up only its own. */
const CONCURRENCY = 4;
/** A run claims batch after batch for at most this long, so one job never runs into the next minute's. */
const RUN_BUDGET_MS = 45_000;
/** A session the provider could not be asked about is asked again this soon, not a whole recheck interval later. */
export const UNREACHABLE_RETRY_SECONDS = 60;

const deferChecks = async (ids: string[]) => {
  await db().adminSession.updateMany({ where: { id: { in: ids } }, data: { ssoCheckAt: new Date(Date.now() + UNREACHABLE_RETRY_SECONDS * 1000) } });
};

/** Deletes the session and audits why, together; a session already gone (signed out meanwhile) is neither. */
const endSession = async ({ session, reason, mapped }: { session: TDueSsoSessionRow; reason: TSsoSessionEndReason; mapped: TAdminRole | null }): Promise<TCheckOutcome> => {
  const ended = await db().$transaction(async (tx) => {
    const { count } = await tx.adminSession.deleteMany({ where: { id: session.id } });
    if (count) await recordAuditEvent(tx, { actor: SSO_ACTOR, action: "sso_session_ended", target: { type: "admin", id: session.userId }, detail: { subject: session.ssoSubject, reason, mappedRole: mapped } });
    return count > 0;
  });
  if (ended) logger().info({ event: "sso_session_ended", sessionId: session.id, adminId: session.userId, reason }, "single sign-on session ended by its check");
  return "ended";
};

/**
 * The role the provider's groups give now, applied as a sign-in applies it (admit-sso-user.ts).
 * Only from the role the claim read: two sessions of one admin checked at once change it, and
 * audit the change, once.
 */
const applyRole = async ({ session, role, mapped }: { session: TDueSsoSessionRow; role: TAdminRole; mapped: TAdminRole | null }): Promise<TCheckOutcome> => {
  if (role === session.role) return "kept";
  await db().$transaction(async (tx) => {
    const { count } = await tx.adminUser.updateMany({ where: { id: session.userId, role: session.role }, data: { role } });
    if (count) await recordAuditEvent(tx, { actor: SSO_ACTOR, action: "role_change", target: { type: "admin", id: session.userId }, detail: { from: session.role, to: role, subject: session.ssoSubject, mappedRole: mapped } });
  });
  return "role_changed";
};

/**
 * One session's check. Without a refresh token (the provider issued none) nothing can be asked:
 * no access token is kept, so userinfo cannot be either, and the session ends at its first check,
 * ADMIN_SSO_RECHECK_MINUTES after sign-in; the user signs in again.
 */
const checkSession = async ({ session, provider }: { session: TDueSsoSessionRow; provider: TSsoServer }): Promise<TCheckOutcome> => {
  // Past its idle expiry the session is over already (Auth.js would delete it at its next use): nothing to ask.
  if (session.expires.getTime() <= Date.now()) {
    await db().adminSession.deleteMany({ where: { id: session.id } });
    return "expired";
  }
  if (session.disabledAt) return endSession({ session, reason: "access_removed", mapped: null });
  if (!session.ssoRefreshToken || !session.ssoSubject) return endSession({ session, reason: "no_refresh_token", mapped: null });
  const refreshToken = openSsoToken(session.ssoRefreshToken);
  if (!refreshToken) return endSession({ session, reason: "token_unreadable", mapped: null });

  const answer = await refreshSsoClaims({ provider, refreshToken, subject: session.ssoSubject });
  if (answer.outcome === "unreachable") {
    logger().warn({ event: "sso_recheck_unreachable", sessionId: session.id, cause: answer.error, status: answer.status }, "the OpenID provider could not be asked about a session; it is asked again shortly");
    await deferChecks([session.id]);
    return "deferred";
  }
  if (answer.outcome === "subject_changed") return endSession({ session, reason: "subject_changed", mapped: null });
  if (answer.outcome === "refused") {
    logger().info({ event: "sso_refresh_refused", sessionId: session.id, oauthError: answer.error, status: answer.status }, "the OpenID provider refused a session's refresh token");
    return endSession({ session, reason: "refresh_refused", mapped: null });
  }

  // The provider may rotate the refresh token: the old one may already be dead.
  if (answer.refreshToken !== refreshToken) await db().adminSession.updateMany({ where: { id: session.id }, data: { ssoRefreshToken: sealSsoToken(answer.refreshToken) } });
  // Without a role map the provider only proves who signs in: the role is the one held, and a
  // session ends only when the provider refuses it or access is removed here.
  const { mapped, role } = roleFromClaims({ claims: answer.claims, invited: session.role, rolesClaim: env().ADMIN_OIDC_ROLES_CLAIM, roleMap: env().ADMIN_OIDC_ROLE_MAP });
  if (!role) return endSession({ session, reason: "no_role", mapped });
  return applyRole({ session, role, mapped });
};

/** Checks one session; a fault of its own (the database, a bug) defers it rather than losing the rest of the batch. */
const checkOne = async ({ session, provider }: { session: TDueSsoSessionRow; provider: TSsoServer }): Promise<TCheckOutcome> => {
  try {
    return await checkSession({ session, provider });
  } catch (error) {
    logger().error({ event: "sso_recheck_failed", sessionId: session.id, error }, "a single sign-on session's check failed; it is checked again shortly");
    await deferChecks([session.id]).catch(() => undefined);
    return "deferred";
  }
};

/**
 * Checks a claimed batch a few sessions at a time. A round in which every check was deferred means
 * the provider (or the database) is in trouble: asking it about the rest would only wait out more
 * timeouts, so they are deferred too and the run stops (true). So is the rest past the run's deadline.
 */
const checkBatch = async ({ rows, provider, tally, deadline }: { rows: TDueSsoSessionRow[]; provider: TSsoServer; tally: TRecheckTally; deadline: number }) => {
  for (let start = 0; start < rows.length; start += CONCURRENCY) {
    const outcomes = await Promise.all(rows.slice(start, start + CONCURRENCY).map((session) => checkOne({ session, provider })));
    for (const outcome of outcomes) tally[outcome] += 1;
    const rest = rows.slice(start + CONCURRENCY);
    if (rest.length && (outcomes.every((outcome) => outcome === "deferred") || Date.now() > deadline)) {
      await deferChecks(rest.map((row) => row.id));
      tally.deferred += rest.length;
      return true;
    }
  }
  return false;
};

/**
 * The worker's check of single sign-on sessions (every minute, lib/auth/start-sso-recheck.ts):
 * each session is due two minutes short of ADMIN_SSO_RECHECK_MINUTES after sign-in or its last
 * check (lib/auth/sso-check-interval.ts), so it is checked within that interval, and is then asked about with its refresh token. Refused, or no role any more: the session ends, audited
 * `sso_session_ended`. Another mapped role: the admin's role changes, audited `role_change`. A
 * provider that cannot be reached ends nothing: its sessions are asked again a minute later.
 */
export const recheckSsoSessions = async ({ batchSize = BATCH_SIZE, budgetMs = RUN_BUDGET_MS }: { batchSize?: number; budgetMs?: number } = {}): Promise<TRecheckTally> => {
  const tally: TRecheckTally = { kept: 0, role_changed: 0, ended: 0, deferred: 0, expired: 0 };
  const startedAt = Date.now();
  let provider: TSsoServer | undefined;
  for (;;) {
    const { rows } = await pgPool().query<TDueSsoSessionRow>(CLAIM_DUE_SSO_SESSIONS_SQL, [batchSize, ssoCheckIntervalMinutes(env().ADMIN_SSO_RECHECK_MINUTES)]);
    if (rows.length === 0) break;
    try {
      // Once per run: the discovery document names the token and userinfo endpoints.
      provider ??= await discoverSsoServer();
    } catch (error) {
      logger().warn({ event: "sso_recheck_unreachable", sessions: rows.length, error }, "the OpenID provider's discovery failed; sessions are checked again shortly");
      await deferChecks(rows.map((row) => row.id));
      tally.deferred += rows.length;
      break;
    }
    const stopped = await checkBatch({ rows, provider, tally, deadline: startedAt + budgetMs });
    if (stopped || rows.length < batchSize || Date.now() - startedAt > budgetMs) break;
  }
  return tally;
};
