import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { env } from "@/lib/env";
import type { Objection } from "@/lib/generated/prisma/client";
import { verifyLinkTokenFor } from "@/lib/links/token";
import { OPEN_PERSONAL_LINK_SQL, type TOpenPersonalLinkRow } from "@/lib/links/link-sql";
import { pgPool } from "@/lib/pg";

export type TOpenedLink = {
  /** The member, or for a link to an address without an account, that address (country "" when unknown). */
  member: { id: string; email: string; country: string; locale: string | null };
  /** The member's live objection, if they have objected already. */
  objection: Pick<Objection, "id" | "country" | "reason" | "effectiveAt"> | null;
};

export type TOpenLinkResult = { ok: true; link: TOpenedLink } | { ok: false; reason: "malformed" | "bad_signature" | "expired" | "wrong_purpose" | "unknown" };

/** The token kinds that open the objection form; a status token (`objection`) is refused here. */
export const PERSONAL_LINK_KINDS = ["notification", "member", "address"] as const;

/**
 * Verifies a `/o/<token>` token, records the click, and loads whom it is for. Never throws for a bad
 * token. Only the link's holder opens it: the token says whose it is.
 */
export const openPersonalLink = async ({ actor, token }: { actor: TActor; token: string }): Promise<TOpenLinkResult> => {
  assertActorKind(actor, "member");
  const verified = verifyLinkTokenFor({ token, secrets: env().LINK_SECRETS, kinds: PERSONAL_LINK_KINDS });
  if (!verified.ok) return verified;

  const row = (await pgPool().query<TOpenPersonalLinkRow>(OPEN_PERSONAL_LINK_SQL, [verified.subject.kind, verified.subject.id])).rows[0];
  if (!row) return { ok: false, reason: "unknown" };
  const { objectionId, objectionCountry, reason, effectiveAt, ...member } = row;
  const objection = objectionId && objectionCountry && effectiveAt ? { id: objectionId, country: objectionCountry, reason, effectiveAt } : null;
  return { ok: true, link: { member, objection } };
};
