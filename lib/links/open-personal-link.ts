import "server-only";

import { env } from "@/lib/env";
import type { Objection } from "@/lib/generated/prisma/client";
import { verifyLinkTokenFor } from "@/lib/links/token";
import { liveObjectionSql } from "@/lib/objections/live-objection";
import { pgPool } from "@/lib/pg";

export type TOpenedLink = {
  /** The member, or for a link to an address without an account, that address (country "" when unknown). */
  member: { id: string; email: string; country: string; locale: string | null };
  /** The member's live objection, if they have objected already. */
  objection: Pick<Objection, "id" | "country" | "reason" | "effectiveAt"> | null;
};

export type TOpenLinkResult = { ok: true; link: TOpenedLink } | { ok: false; reason: "malformed" | "bad_signature" | "expired" | "wrong_purpose" | "unknown" };

// One round trip for the page a campaign's clicks land on: whom the link is for, the first click
// recorded (later opens change nothing), and the live objection if there is one. A link /object
// emailed to an address without an account names that address: its objection has no member.
const OPEN_SQL = `
  WITH subject AS (
    SELECT m.id, m.email, m.country, m.locale, true AS "isMember" FROM "Notification" n JOIN "Member" m ON m.id = n."memberId"
     WHERE $1::text = 'notification' AND n.id = $2::uuid
    UNION ALL
    SELECT m.id, m.email, m.country, m.locale, true FROM "Member" m WHERE $1::text = 'member' AND m.id = $2::uuid
    UNION ALL
    SELECT a.id, a.email, COALESCE(a.country, ''), a.locale, false FROM "AddressLink" a
     WHERE $1::text = 'address' AND a.id = $2::uuid AND a."expiresAt" > now()
  ), click AS (
    UPDATE "Notification" SET status = 'clicked', "clickedAt" = now()
     WHERE $1::text = 'notification' AND id = $2::uuid AND "clickedAt" IS NULL
  )
  SELECT s.id, s.email, s.country, s.locale,
         o.id AS "objectionId", o.country AS "objectionCountry", o.reason, o."effectiveAt"
    FROM subject s LEFT JOIN LATERAL (
      SELECT o.* FROM "Objection" o WHERE s."isMember" AND ${liveObjectionSql({ rule: "member", objection: "o", memberId: "s.id" })}
      UNION ALL
      SELECT o.* FROM "Objection" o
       WHERE NOT s."isMember" AND ${liveObjectionSql({ rule: "address", objection: "o", email: "s.email" })}
      LIMIT 1
    ) o ON true`;

type TOpenRow = TOpenedLink["member"] & { objectionId: string | null; objectionCountry: string | null; reason: string | null; effectiveAt: Date | null };

/** The token kinds that open the objection form; a status token (`objection`) is refused here. */
export const PERSONAL_LINK_KINDS = ["notification", "member", "address"] as const;

/** Verifies a `/o/<token>` token, records the click, and loads whom it is for. Never throws for a bad token. */
export const openPersonalLink = async (token: string): Promise<TOpenLinkResult> => {
  const verified = verifyLinkTokenFor({ token, secrets: env().LINK_SECRETS, kinds: PERSONAL_LINK_KINDS });
  if (!verified.ok) return verified;

  // A named statement: each connection parses it once, then sends only the values.
  const row = (await pgPool().query<TOpenRow>({ name: "open-personal-link", text: OPEN_SQL, values: [verified.subject.kind, verified.subject.id] })).rows[0];
  if (!row) return { ok: false, reason: "unknown" };
  const { objectionId, objectionCountry, reason, effectiveAt, ...member } = row;
  const objection = objectionId && objectionCountry && effectiveAt ? { id: objectionId, country: objectionCountry, reason, effectiveAt } : null;
  return { ok: true, link: { member, objection } };
};
