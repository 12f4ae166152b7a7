import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { env } from "@/lib/env";
import { verifyLinkTokenFor } from "@/lib/links/token";
import { pgPool } from "@/lib/pg";
import { UNSUBSCRIBE_LINK_KINDS } from "@/lib/unsubscribe/open-unsubscribe-link";
import { STOP_EMAILS_SQL } from "@/lib/unsubscribe/unsubscribe-sql";

export type TStopEmailsResult = { ok: true } | { ok: false; reason: "invalid_link" };

/**
 * "Stop these emails" (RFC 8058 one-click, or the confirm button on /u/<token>): the member gets no
 * more email notices. An EmailSuppression row, never an objection. Idempotent: a second press, or a
 * member already stopped for a hard bounce or a complaint, keeps the first reason. Only the link's
 * holder stops emails here: the token, not the actor, says whose.
 */
export const stopEmails = async ({ actor, token }: { actor: TActor; token: string }): Promise<TStopEmailsResult> => {
  assertActorKind(actor, "member");
  const verified = verifyLinkTokenFor({ token, secrets: env().LINK_SECRETS, kinds: UNSUBSCRIBE_LINK_KINDS });
  if (!verified.ok) return { ok: false, reason: "invalid_link" };
  const { rows } = await pgPool().query(STOP_EMAILS_SQL, [verified.subject.id]);
  return rows.length > 0 ? { ok: true } : { ok: false, reason: "invalid_link" };
};
