import "server-only";

import { env } from "@/lib/env";
import { verifyLinkTokenFor } from "@/lib/links/token";
import { pgPool } from "@/lib/pg";
import { UNSUBSCRIBE_LINK_KINDS } from "@/lib/unsubscribe/open-unsubscribe-link";
import { STOP_EMAILS_SQL } from "@/lib/unsubscribe/unsubscribe-sql";

export type TStopEmailsResult = { ok: true } | { ok: false; reason: "invalid_link" };

/**
 * "Stop these emails" (RFC 8058 one-click, or the confirm button on /u/<token>): the member gets no
 * more email notices. An EmailSuppression row, never an objection. Idempotent: a second press, or a
 * member already stopped for a hard bounce or a complaint, keeps the first reason.
 */
export const stopEmails = async (token: string): Promise<TStopEmailsResult> => {
  const verified = verifyLinkTokenFor({ token, secrets: env().LINK_SECRETS, kinds: UNSUBSCRIBE_LINK_KINDS });
  if (!verified.ok) return { ok: false, reason: "invalid_link" };
  const { rows } = await pgPool().query(STOP_EMAILS_SQL, [verified.subject.id]);
  return rows.length > 0 ? { ok: true } : { ok: false, reason: "invalid_link" };
};
