import "server-only";

import { OBJECTIONS_PER_DAY_DAYS, ZDashboardSummary, type TDashboardSummary } from "@/lib/dashboard/dashboard-summary-schema";
import { ObjectionSource, type ObjectionStatus } from "@/lib/generated/prisma/enums";
import { EEA_COUNTRIES } from "@/lib/members/eea-countries";
import { liveObjectionSql } from "@/lib/objections/live-objection";
import { inTransaction } from "@/lib/pg";

// Members' figures by the member's country, in one pass over "Member": the notifications are
// folded to one row per member first (a member told by two campaigns counts once), and the live
// objection joins on the partial unique index (at most one per member), so no row is counted twice.
// "Eligible" is the campaign audience rule of lib/campaigns/compute-audience.ts: an EEA country
// and 18 or older on the day ($2 is the date 18 years ago).
const MEMBER_FIGURES_SQL = `
  WITH told AS (
    SELECT n."memberId",
           bool_or(n.channel = 'email' AND n.status IN ('sent', 'seen', 'clicked')) AS by_email,
           bool_or(n.channel = 'in_app' AND n.status IN ('sent', 'seen', 'clicked')) AS in_app,
           bool_or(n."seenAt" IS NOT NULL) AS seen,
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
const OBJECTION_FIGURES_SQL = `
  SELECT country::text AS country, status::text AS status, source::text AS source, count(*) AS objections
  FROM "Objection"
  GROUP BY 1, 2, 3`;

// Only the last 90 days, a range of the ("effectiveAt" DESC, id DESC) index.
const OBJECTIONS_PER_DAY_SQL = `
  SELECT to_char(("effectiveAt" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, count(*) AS objections
  FROM "Objection"
  WHERE "effectiveAt" >= ($1::date)::timestamp AT TIME ZONE 'UTC'
  GROUP BY 1`;

const UPSERT_SQL = `
  INSERT INTO "DashboardSummary" (id, data, "computedAt", "durationMs") VALUES (1, $1::jsonb, $2, $3)
  ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, "computedAt" = EXCLUDED."computedAt", "durationMs" = EXCLUDED."durationMs"`;

type TMemberRow = {
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
type TObjectionRow = { country: string; status: ObjectionStatus; source: ObjectionSource; objections: string };

const DAY_MS = 86_400_000;

/** The UTC date of `date`, as YYYY-MM-DD. */
const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/** The date `years` before `date`'s UTC date (29 February falls back to 28 February, as PostgreSQL's interval does). */
const yearsBefore = (date: Date, years: number) => {
  const day = new Date(Date.UTC(date.getUTCFullYear() - years, date.getUTCMonth(), 1));
  const lastOfMonth = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 0)).getUTCDate();
  day.setUTCDate(Math.min(date.getUTCDate(), lastOfMonth));
  return utcDay(day);
};

const sum = <T>(rows: T[], pick: (row: T) => number) => rows.reduce((total, row) => total + pick(row), 0);

/**
 * Computes every dashboard figure with SQL aggregates in one consistent snapshot, and stores them
 * as the single "DashboardSummary" row. It reads whole tables (seconds at 10,000,000 members), so
 * the worker runs it every few minutes and the page only ever reads the stored row.
 */
export const computeDashboardSummary = async ({ now = new Date() }: { now?: Date } = {}) => {
  const started = performance.now();
  const today = utcDay(now);
  const firstDay = utcDay(new Date(Date.parse(today) - (OBJECTIONS_PER_DAY_DAYS - 1) * DAY_MS));

  const { memberRows, objectionRows, dayRows } = await inTransaction(
    async (client) => {
      // Hash aggregates over millions of members spill to disk with the default 4 MB. A parallel
      // plan would build the per-member aggregate once in every worker (it is not parallel-aware):
      // three times the memory and the work for the same figures, so this runs on one core.
      await client.query(`SET LOCAL work_mem = '256MB'`);
      await client.query(`SET LOCAL max_parallel_workers_per_gather = 0`);
      const members = await client.query<TMemberRow>(MEMBER_FIGURES_SQL, [[...EEA_COUNTRIES], yearsBefore(now, 18)]);
      const objections = await client.query<TObjectionRow>(OBJECTION_FIGURES_SQL);
      const days = await client.query<{ day: string; objections: string }>(OBJECTIONS_PER_DAY_SQL, [firstDay]);
      return { memberRows: members.rows, objectionRows: objections.rows, dayRows: days.rows };
    },
    { isolation: "REPEATABLE READ" },
  );

  const members = memberRows.map((row) => ({
    country: row.country,
    members: Number(row.members),
    eligible: Number(row.eligible),
    notified: Number(row.notified),
    emailOnly: Number(row.email_only),
    inAppOnly: Number(row.in_app_only),
    both: Number(row.both_channels),
    seen: Number(row.seen),
    clicked: Number(row.clicked),
    objectedAfterNotice: Number(row.objected_after_notice),
  }));
  const objections = objectionRows.map((row) => ({ ...row, objections: Number(row.objections) }));
  const objectionsWith = (match: (row: (typeof objections)[number]) => boolean) => sum(objections.filter(match), (row) => row.objections);

  const channels = { emailOnly: sum(members, (row) => row.emailOnly), inAppOnly: sum(members, (row) => row.inAppOnly), both: sum(members, (row) => row.both) };
  const perDay = new Map(dayRows.map((row) => [row.day, Number(row.objections)]));
  const countryCodes = [...new Set([...members.map((row) => row.country), ...objections.map((row) => row.country)])].sort();

  const summary: TDashboardSummary = {
    totals: {
      members: sum(members, (row) => row.members),
      eligible: sum(members, (row) => row.eligible),
      notified: sum(members, (row) => row.notified),
      notifiedByEmail: channels.emailOnly + channels.both,
      notifiedInApp: channels.inAppOnly + channels.both,
      seen: sum(members, (row) => row.seen),
      clicked: sum(members, (row) => row.clicked),
      objected: objectionsWith((row) => row.status === "effective"),
      withdrawn: objectionsWith((row) => row.status === "withdrawn"),
      rejected: objectionsWith((row) => row.status === "rejected"),
      objectedAfterNotice: sum(members, (row) => row.objectedAfterNotice),
    },
    channels,
    objectionsPerDay: Array.from({ length: OBJECTIONS_PER_DAY_DAYS }, (_, index) => {
      const day = utcDay(new Date(Date.parse(firstDay) + index * DAY_MS));
      return { day, objections: perDay.get(day) ?? 0 };
    }),
    sources: Object.values(ObjectionSource)
      .map((source) => ({
        source,
        effective: objectionsWith((row) => row.source === source && row.status === "effective"),
        withdrawn: objectionsWith((row) => row.source === source && row.status === "withdrawn"),
        rejected: objectionsWith((row) => row.source === source && row.status === "rejected"),
      }))
      .filter((row) => row.effective + row.withdrawn + row.rejected > 0),
    countries: countryCodes.map((country) => {
      const member = members.find((row) => row.country === country);
      return {
        country,
        members: member?.members ?? 0,
        eligible: member?.eligible ?? 0,
        notified: member?.notified ?? 0,
        objected: objectionsWith((row) => row.country === country && row.status === "effective"),
        withdrawn: objectionsWith((row) => row.country === country && row.status === "withdrawn"),
        rejected: objectionsWith((row) => row.country === country && row.status === "rejected"),
      };
    }),
  };

  const data = ZDashboardSummary.parse(summary);
  const durationMs = Math.round(performance.now() - started);
  // computedAt is when the figures were read, so the page's "as of" tells how old they are.
  await inTransaction((client) => client.query(UPSERT_SQL, [JSON.stringify(data), now, durationMs]));
  return { data, computedAt: now, durationMs };
};
