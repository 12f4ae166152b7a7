import "server-only";

import { liveObjectionSql } from "@/lib/objections/live-objection";

// One round trip for the page a campaign's clicks land on: whom the link is for, the first click
// recorded (later opens change nothing; a click is also the notice seen, so no figure shows more
// clicks than notices seen), and the live objection if there is one. A link /object
// emailed to an address without an account names that address: its objection has no member.
export const OPEN_PERSONAL_LINK_SQL = `
  WITH subject AS (
    SELECT m.id, m.email, m.country, m.locale, true AS "isMember" FROM "Notification" n JOIN "Member" m ON m.id = n."memberId"
     WHERE $1::text = 'notification' AND n.id = $2::uuid
    UNION ALL
    SELECT m.id, m.email, m.country, m.locale, true FROM "Member" m WHERE $1::text = 'member' AND m.id = $2::uuid
    UNION ALL
    SELECT a.id, a.email, COALESCE(a.country, ''), a.locale, false FROM "AddressLink" a
     WHERE $1::text = 'address' AND a.id = $2::uuid AND a."expiresAt" > now()
  ), click AS (
    UPDATE "Notification" SET status = 'clicked', "clickedAt" = now(), "seenAt" = COALESCE("seenAt", now())
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

/** Whom the link is for (the member, or an address as a member without an account), and their live objection. */
export type TOpenPersonalLinkRow = { id: string; email: string; country: string; locale: string | null; objectionId: string | null; objectionCountry: string | null; reason: string | null; effectiveAt: Date | null };

// The member's locale, else the one the /object request was made in (an address link). A status
// link reads its objection's member; an objection kept under an address alone has no locale.
export const LINK_SUBJECT_LOCALE_SQL = `
  SELECT m.locale FROM "Notification" n JOIN "Member" m ON m.id = n."memberId" WHERE $1::text IN ('notification', 'unsubscribe') AND n.id = $2::uuid
  UNION ALL
  SELECT m.locale FROM "Member" m WHERE $1::text = 'member' AND m.id = $2::uuid
  UNION ALL
  SELECT a.locale FROM "AddressLink" a WHERE $1::text = 'address' AND a.id = $2::uuid
  UNION ALL
  SELECT m.locale FROM "Objection" o JOIN "Member" m ON m.id = o."memberId" WHERE $1::text = 'objection' AND o.id = $2::uuid
  LIMIT 1`;

export type TLinkSubjectLocaleRow = { locale: string | null };
