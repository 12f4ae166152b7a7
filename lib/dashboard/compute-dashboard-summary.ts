import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { OBJECTIONS_PER_DAY_DAYS, ZDashboardSummary, type TDashboardSummary } from "@/lib/dashboard/dashboard-summary-schema";
import {
  MEMBER_FIGURES_SQL,
  OBJECTION_FIGURES_SQL,
  OBJECTIONS_PER_DAY_SQL,
  type TMemberFiguresRow,
  type TObjectionFiguresRow,
  type TObjectionsPerDayRow,
} from "@/lib/dashboard/dashboard-sql";
import { db } from "@/lib/db";
import { ObjectionSource } from "@/lib/generated/prisma/enums";
import { EEA_COUNTRIES } from "@/lib/members/eea-countries";
import { inTransaction } from "@/lib/pg";

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
 * the worker runs it every few minutes (a system actor) and the page only ever reads the stored row.
 */
export const computeDashboardSummary = async ({ actor, now = new Date() }: { actor: TActor; now?: Date }) => {
  assertActorKind(actor, "system");
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
      const members = await client.query<TMemberFiguresRow>(MEMBER_FIGURES_SQL, [[...EEA_COUNTRIES], yearsBefore(now, 18)]);
      const objections = await client.query<TObjectionFiguresRow>(OBJECTION_FIGURES_SQL);
      const days = await client.query<TObjectionsPerDayRow>(OBJECTIONS_PER_DAY_SQL, [firstDay]);
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
  await db().dashboardSummary.upsert({ where: { id: 1 }, create: { id: 1, data, computedAt: now, durationMs }, update: { data, computedAt: now, durationMs } });
  return { data, computedAt: now, durationMs };
};
