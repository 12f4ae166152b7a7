import "server-only";

import { sessionDevice } from "@/lib/admins/session-device";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { hashSessionToken } from "@/lib/auth/hash-session-token";
import { db } from "@/lib/db";
import type { AdminSignInMethod } from "@/lib/generated/prisma/enums";

/** An admin has a few sessions (one per browser); the cap only bounds a page that should never be long. */
export const OWN_SESSIONS_LIMIT = 50;

export type TOwnSession = { id: string; createdAt: Date; expires: Date; method: AdminSignInMethod; device: string; isCurrent: boolean };

/**
 * The actor's live sessions, newest first, with the one this browser holds marked. Read from the
 * primary: the page shows it right after a session is ended, and a replica may lag. The stored
 * hash never leaves this function.
 */
export const listOwnSessions = async ({ actor, currentSessionToken }: { actor: TActor; currentSessionToken: string | null }): Promise<TOwnSession[]> => {
  assertRole(actor, "viewer");
  const current = currentSessionToken ? hashSessionToken(currentSessionToken) : null;
  const rows = await db().adminSession.findMany({
    where: { userId: actor.id, expires: { gt: new Date() } },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: OWN_SESSIONS_LIMIT,
    select: { id: true, sessionToken: true, createdAt: true, expires: true, method: true, userAgent: true },
  });
  return rows.map(({ sessionToken, userAgent, ...row }) => ({ ...row, device: sessionDevice(userAgent), isCurrent: sessionToken === current }));
};
