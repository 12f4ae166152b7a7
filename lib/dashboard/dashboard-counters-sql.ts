import "server-only";

import { liveObjectionSql } from "@/lib/objections/live-objection";

// The incremental dashboard (migration dashboard_counters): triggers keep the member, birth-date
// and objection counters exact in the transactions that change the rows, and log the members
// whose notice figures may have moved; the refresh below recounts only those members.

/** One refresh transaction recounts at most this many change rows, so none holds locks for long. */
export const CHANGE_BATCH = 50_000;

/** The advisory lock every refresh and check holds: the change log is processed by one at a time. */
export const DASHBOARD_LOCK_SQL = `SELECT pg_advisory_xact_lock(1340, 1)`;

/**
 * The notice flags of the members in `members` (a relation with an `id` column) as they are now:
 * the same rules as MEMBER_FIGURES_SQL (dashboard_notice_flags, the `member` live objection), one
 * index range of "Notification" per member. Members with no flag have no row.
 */
const memberFlagsSql = (members: string) => `
  SELECT m.id, m.country, t.flags & 1 <> 0 AS "byEmail", t.flags & 2 <> 0 AS "inApp", t.flags & 4 <> 0 AS seen, t.flags & 8 <> 0 AS clicked,
    t.flags & 3 <> 0 AND EXISTS (SELECT 1 FROM "Objection" o WHERE ${liveObjectionSql({ rule: "member", objection: "o", memberId: "m.id" })}) AS objected
  FROM ${members} c JOIN "Member" m ON m.id = c.id
  CROSS JOIN LATERAL (
    SELECT coalesce(bit_or(dashboard_notice_flags(n.channel, n.status, n."seenAt", n."clickedAt")), 0) AS flags FROM "Notification" n WHERE n."memberId" = m.id
  ) t
  WHERE t.flags <> 0`;

/** Per-country sums of flag rows (`rows`, with a `sign` column): the notice counters' columns. */
const noticeDeltasSql = (rows: string) => `
  SELECT country,
    sum(sign * ("byEmail" OR "inApp")::int) AS notified,
    sum(sign * ("byEmail" AND NOT "inApp")::int) AS "emailOnly",
    sum(sign * ("inApp" AND NOT "byEmail")::int) AS "inAppOnly",
    sum(sign * ("byEmail" AND "inApp")::int) AS "both",
    sum(sign * seen::int) AS seen,
    sum(sign * clicked::int) AS clicked,
    sum(sign * objected::int) AS "objectedAfterNotice"
  FROM (${rows}) r GROUP BY country`;

const FLAG_COLUMNS = `country, "byEmail", "inApp", seen, clicked, objected`;

/**
 * Takes up to $1 change rows, recounts their members, adds the difference from each member's
 * stored contribution to the notice counters, and stores the new contributions: one statement,
 * one snapshot. A change committed after that snapshot has its own change row, not taken here, so
 * it is recounted by a later run (a recount of an unchanged member adds nothing). Returns how many
 * change rows it took.
 */
export const REFRESH_NOTICE_COUNTERS_SQL = `
  WITH batch AS (
    DELETE FROM "DashboardMemberChange" WHERE id IN (SELECT id FROM "DashboardMemberChange" ORDER BY id LIMIT $1) RETURNING "memberId"
  ),
  members AS (SELECT DISTINCT "memberId" AS id FROM batch),
  current AS (${memberFlagsSql("members")}),
  stored AS (SELECT f.* FROM "DashboardMemberFlags" f JOIN members c ON c.id = f."memberId"),
  deltas AS (${noticeDeltasSql(`SELECT 1 AS sign, ${FLAG_COLUMNS} FROM current UNION ALL SELECT -1 AS sign, ${FLAG_COLUMNS} FROM stored`)}),
  counted AS (
    INSERT INTO "DashboardNoticeCounter" (country, notified, "emailOnly", "inAppOnly", "both", seen, clicked, "objectedAfterNotice")
    SELECT * FROM deltas WHERE (notified, "emailOnly", "inAppOnly", "both", seen, clicked, "objectedAfterNotice") <> (0, 0, 0, 0, 0, 0, 0) ORDER BY country
    ON CONFLICT (country) DO UPDATE SET
      notified = "DashboardNoticeCounter".notified + EXCLUDED.notified,
      "emailOnly" = "DashboardNoticeCounter"."emailOnly" + EXCLUDED."emailOnly",
      "inAppOnly" = "DashboardNoticeCounter"."inAppOnly" + EXCLUDED."inAppOnly",
      "both" = "DashboardNoticeCounter"."both" + EXCLUDED."both",
      seen = "DashboardNoticeCounter".seen + EXCLUDED.seen,
      clicked = "DashboardNoticeCounter".clicked + EXCLUDED.clicked,
      "objectedAfterNotice" = "DashboardNoticeCounter"."objectedAfterNotice" + EXCLUDED."objectedAfterNotice"
  ),
  kept AS (
    INSERT INTO "DashboardMemberFlags" ("memberId", ${FLAG_COLUMNS}) SELECT id, ${FLAG_COLUMNS} FROM current
    ON CONFLICT ("memberId") DO UPDATE SET country = EXCLUDED.country, "byEmail" = EXCLUDED."byEmail", "inApp" = EXCLUDED."inApp",
      seen = EXCLUDED.seen, clicked = EXCLUDED.clicked, objected = EXCLUDED.objected
  ),
  dropped AS (
    DELETE FROM "DashboardMemberFlags" f USING members c WHERE f."memberId" = c.id AND NOT EXISTS (SELECT 1 FROM current x WHERE x.id = c.id)
  )
  SELECT (SELECT count(*) FROM batch) AS taken`;

/**
 * The member figures (MEMBER_FIGURES_SQL's row) from the counters: a few rows per country, and
 * for "eligible" the birth dates after the cutoff ($2, 18 years ago) of the EEA countries ($1):
 * minors, a range of the (country, birthDate) key, not the members.
 */
export const COUNTED_MEMBER_FIGURES_SQL = `
  WITH members AS (SELECT country, sum(count) AS members FROM "DashboardMemberCounter" GROUP BY country),
  young AS (
    SELECT country, sum(count) AS young FROM "DashboardBirthCounter"
    WHERE country = ANY($1::text[]) AND "birthDate" > $2::date GROUP BY country
  ),
  notices AS (SELECT * FROM "DashboardNoticeCounter")
  SELECT coalesce(m.country, n.country)::text AS country,
    coalesce(m.members, 0) AS members,
    CASE WHEN coalesce(m.country, n.country) = ANY($1::text[]) THEN coalesce(m.members, 0) - coalesce(y.young, 0) ELSE 0 END AS eligible,
    coalesce(n.notified, 0) AS notified, coalesce(n."emailOnly", 0) AS email_only, coalesce(n."inAppOnly", 0) AS in_app_only,
    coalesce(n."both", 0) AS both_channels, coalesce(n.seen, 0) AS seen, coalesce(n.clicked, 0) AS clicked,
    coalesce(n."objectedAfterNotice", 0) AS objected_after_notice
  FROM members m FULL JOIN notices n ON n.country = m.country
  LEFT JOIN young y ON y.country = coalesce(m.country, n.country)
  WHERE coalesce(m.members, 0) <> 0 OR (n.notified, n."emailOnly", n."inAppOnly", n."both", n.seen, n.clicked, n."objectedAfterNotice") <> (0, 0, 0, 0, 0, 0, 0)`;

/** OBJECTION_FIGURES_SQL's rows from the counters. */
export const COUNTED_OBJECTION_FIGURES_SQL = `
  SELECT country::text AS country, status::text AS status, source::text AS source, sum(count) AS objections
  FROM "DashboardObjectionCounter" GROUP BY 1, 2, 3 HAVING sum(count) <> 0`;

/** OBJECTIONS_PER_DAY_SQL's rows from the counters (days from $1). */
export const COUNTED_OBJECTIONS_PER_DAY_SQL = `
  SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(count) AS objections
  FROM "DashboardObjectionDay" WHERE day >= $1::date GROUP BY day HAVING sum(count) <> 0`;

/**
 * For the nightly check: the notice figures of the members still in the change log, as stored
 * (`sign` -1) and as they are now (+1), by country. Added to the counters, they give what the
 * counters will say once those members are recounted, so a change made during the check is not
 * taken for drift.
 */
export const PENDING_NOTICE_DELTAS_SQL = `
  WITH members AS (SELECT DISTINCT "memberId" AS id FROM "DashboardMemberChange"),
  current AS (${memberFlagsSql("members")}),
  stored AS (SELECT f.* FROM "DashboardMemberFlags" f JOIN members c ON c.id = f."memberId")
  ${noticeDeltasSql(`SELECT 1 AS sign, ${FLAG_COLUMNS} FROM current UNION ALL SELECT -1 AS sign, ${FLAG_COLUMNS} FROM stored`)}`;

export type TNoticeDeltaRow = {
  country: string;
  notified: string;
  emailOnly: string;
  inAppOnly: string;
  both: string;
  seen: string;
  clicked: string;
  objectedAfterNotice: string;
};
