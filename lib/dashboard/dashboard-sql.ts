import "server-only";

import type { ObjectionSource, ObjectionStatus } from "@/lib/generated/prisma/enums";
import { liveObjectionSql } from "@/lib/objections/live-objection";

// Members' figures by the member's country, in one pass over "Member": the notifications are
// folded to one row per member first (a member told by two campaigns counts once), and the live
// objection joins on the partial unique index (at most one per member), so no row is counted twice.
// "Eligible" is the campaign audience rule of lib/campaigns/compute-audience.ts: an EEA country
// and 18 or older on the day ($2 is the date 18 years ago).
export const MEMBER_FIGURES_SQL = `
  WITH told AS (
    SELECT n."memberId",
           bool_or(n.channel = 'email' AND n.status IN ('sent', 'seen', 'clicked')) AS by_email,
           bool_or(n.channel = 'in_app' AND n.status IN ('sent', 'seen', 'clicked')) AS in_app,
           -- A click implies the notice was seen, whether or not the app reported it seen.
           bool_or(n."seenAt" IS NOT NULL OR n."clickedAt" IS NOT NULL) AS seen,
           bool_or(n."clickedAt" IS NOT NULL) AS clicked
    FROM "Notification" n
    GROUP BY n."memberId"
  )
  SELECT m.country::text AS country,
         count(*) AS members,
         count(*) FILTER (WHERE m.country = ANY($1::text[]) AND m."birthDate" <= $2::date) AS eligible,
         count(*) FILTER (WHERE t.by_email OR t.in_app) AS notified,
         count(*) FILTER (WHERE t.by_email AND NOT t.in_app) AS email_only,
         count(*) FILTER (WHERE t.in_app AND NOT t.by_email) AS in_app_only,
         count(*) FILTER (WHERE t.by_email AND t.in_app) AS both_channels,
         count(*) FILTER (WHERE t.seen) AS seen,
         count(*) FILTER (WHERE t.clicked) AS clicked,
         count(*) FILTER (WHERE (t.by_email OR t.in_app) AND o.id IS NOT NULL) AS objected_after_notice
  FROM "Member" m
  LEFT JOIN told t ON t."memberId" = m.id
  LEFT JOIN "Objection" o ON ${liveObjectionSql({ rule: "member", objection: "o", memberId: "m.id" })}
  GROUP BY m.country`;

// A few hundred groups at most (countries × statuses × sources), from one scan of "Objection".
export const OBJECTION_FIGURES_SQL = `
  SELECT country::text AS country, status::text AS status, source::text AS source, count(*) AS objections
  FROM "Objection"
  GROUP BY 1, 2, 3`;

// Only the last 90 days, a range of the ("effectiveAt" DESC, id DESC) index.
export const OBJECTIONS_PER_DAY_SQL = `
  SELECT to_char(("effectiveAt" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, count(*) AS objections
  FROM "Objection"
  WHERE "effectiveAt" >= ($1::date)::timestamp AT TIME ZONE 'UTC'
  GROUP BY 1`;

/** One country's member figures; counts arrive as text (bigint). */
export type TMemberFiguresRow = {
  country: string;
  members: string;
  eligible: string;
  notified: string;
  email_only: string;
  in_app_only: string;
  both_channels: string;
  seen: string;
  clicked: string;
  objected_after_notice: string;
};
export type TObjectionFiguresRow = { country: string; status: ObjectionStatus; source: ObjectionSource; objections: string };
export type TObjectionsPerDayRow = { day: string; objections: string };
