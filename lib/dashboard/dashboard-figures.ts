import "server-only";

import type pg from "pg";

import { OBJECTIONS_PER_DAY_DAYS } from "@/lib/dashboard/dashboard-summary-schema";
import {
  COUNTED_MEMBER_FIGURES_SQL,
  COUNTED_OBJECTION_FIGURES_SQL,
  COUNTED_OBJECTIONS_PER_DAY_SQL,
} from "@/lib/dashboard/dashboard-counters-sql";
import {
  MEMBER_FIGURES_SQL,
  OBJECTION_FIGURES_SQL,
  OBJECTIONS_PER_DAY_SQL,
  type TMemberFiguresRow,
  type TObjectionFiguresRow,
  type TObjectionsPerDayRow,
} from "@/lib/dashboard/dashboard-sql";
import { EEA_COUNTRIES } from "@/lib/members/eea-countries";

const DAY_MS = 86_400_000;

/** The UTC date of `date`, as YYYY-MM-DD. */
export const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/** The date `years` before `date`'s UTC date (29 February falls back to 28 February, as PostgreSQL's interval does). */
const yearsBefore = (date: Date, years: number) => {
  const day = new Date(Date.UTC(date.getUTCFullYear() - years, date.getUTCMonth(), 1));
  const lastOfMonth = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 0)).getUTCDate();
  day.setUTCDate(Math.min(date.getUTCDate(), lastOfMonth));
  return utcDay(day);
};

/** The first day of the "objections per day" chart that ends on `now`'s UTC day. */
export const firstChartDay = (now: Date) => utcDay(new Date(Date.parse(utcDay(now)) - (OBJECTIONS_PER_DAY_DAYS - 1) * DAY_MS));

export type TDashboardFigures = { memberRows: TMemberFiguresRow[]; objectionRows: TObjectionFiguresRow[]; dayRows: TObjectionsPerDayRow[] };

const read = async (client: pg.PoolClient, sql: { members: string; objections: string; days: string }, now: Date): Promise<TDashboardFigures> => {
  const members = await client.query<TMemberFiguresRow>(sql.members, [[...EEA_COUNTRIES], yearsBefore(now, 18)]);
  const objections = await client.query<TObjectionFiguresRow>(sql.objections);
  const days = await client.query<TObjectionsPerDayRow>(sql.days, [firstChartDay(now)]);
  return { memberRows: members.rows, objectionRows: objections.rows, dayRows: days.rows };
};

/**
 * Every figure counted again from the rows: whole-table scans (40 s at 10,000,000 members), for
 * the nightly check only. Run it in a REPEATABLE READ transaction, so all figures share a snapshot.
 */
export const recountDashboardFigures = async (client: pg.PoolClient, now: Date) => {
  // Hash aggregates over millions of members spill to disk with the default 4 MB. A parallel
  // plan would build the per-member aggregate once in every worker (it is not parallel-aware):
  // three times the memory and the work for the same figures, so this runs on one core.
  await client.query(`SET LOCAL work_mem = '256MB'`);
  await client.query(`SET LOCAL max_parallel_workers_per_gather = 0`);
  return read(client, { members: MEMBER_FIGURES_SQL, objections: OBJECTION_FIGURES_SQL, days: OBJECTIONS_PER_DAY_SQL }, now);
};

/** Members born before this day share one birth-date key (dashboard_birth_key in the migration dashboard_counters). */
export const BIRTH_KEY_FLOOR = "2008-01-01";

/** The same figures from the counters: a few rows per country and day, whatever the table sizes. */
export const countedDashboardFigures = (client: pg.PoolClient, now: Date) => {
  // Who turned 18 before the floor cannot be told apart in the counters; no date from 2026 on asks.
  if (yearsBefore(now, 18) < BIRTH_KEY_FLOOR) throw new Error(`the dashboard counts eligibility from ${BIRTH_KEY_FLOOR} + 18 years on`);
  return read(client, { members: COUNTED_MEMBER_FIGURES_SQL, objections: COUNTED_OBJECTION_FIGURES_SQL, days: COUNTED_OBJECTIONS_PER_DAY_SQL }, now);
};
