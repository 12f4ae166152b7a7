import "server-only";

import type { TEndOwnSession } from "@/lib/admins/schema";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { hashSessionToken } from "@/lib/auth/hash-session-token";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import type { AdminSignInMethod } from "@/lib/generated/prisma/enums";
import { sqlOn } from "@/lib/pg-tx";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Only the actor's own row matches: someone else's session id is as unknown as one that never existed.
const DELETE_OWN_SESSION_SQL = `DELETE FROM "AdminSession" WHERE id = $1::uuid AND "userId" = $2::uuid RETURNING method::text AS method, "sessionToken"`;

/**
 * Ends one of the actor's own sessions: that browser is signed out at its next request. Any role
 * may, for their own sessions only. `current` tells the caller it was this browser's own session,
 * whose cookie it should clear.
 */
export const endOwnSession = async ({ actor, sessionId, currentSessionToken = null }: { actor: TActor; sessionId: TEndOwnSession["sessionId"]; currentSessionToken?: string | null }) => {
  assertRole(actor, "viewer");
  const notFound = new AppError("not_found", { message: "You have no session with this id. It may have ended already." });
  if (!UUID.test(sessionId)) throw notFound;
  return db().$transaction(async (tx) => {
    const [ended] = await sqlOn(tx).query<{ method: AdminSignInMethod; sessionToken: string }>(DELETE_OWN_SESSION_SQL, [sessionId, actor.id]);
    if (!ended) throw notFound;
    await recordAuditEvent(tx, { actor, action: "session_end", target: { type: "admin", id: actor.id }, detail: { method: ended.method } });
    return { method: ended.method, current: currentSessionToken !== null && ended.sessionToken === hashSessionToken(currentSessionToken) };
  });
};
