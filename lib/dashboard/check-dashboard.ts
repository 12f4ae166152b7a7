import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { composeDashboardSummary } from "@/lib/dashboard/compose-dashboard-summary";
import { PENDING_NOTICE_DELTAS_SQL, type TNoticeDeltaRow } from "@/lib/dashboard/dashboard-counters-sql";
import { countedDashboardFigures, recountDashboardFigures, type TDashboardFigures } from "@/lib/dashboard/dashboard-figures";
import type { TMemberFiguresRow } from "@/lib/dashboard/dashboard-sql";
import { logger } from "@/lib/logger";
import { inTransaction } from "@/lib/pg";

export type TDashboardDrift = { figure: string; country: string | null; counted: number; recounted: number };

type TMemberFigure = Exclude<keyof TMemberFiguresRow, "country">;

const MEMBER_FIGURES: TMemberFigure[] = ["members", "eligible", "notified", "email_only", "in_app_only", "both_channels", "seen", "clicked", "objected_after_notice"];

// The change log's pending members, by the counters' column names.
const PENDING_COLUMNS: Partial<Record<TMemberFigure, Exclude<keyof TNoticeDeltaRow, "country">>> = {
  notified: "notified",
  email_only: "emailOnly",
  in_app_only: "inAppOnly",
  both_channels: "both",
  seen: "seen",
  clicked: "clicked",
  objected_after_notice: "objectedAfterNotice",
};

/** Every figure as figure → key → value, zeros left out (a missing row and a zero are the same). */
const figureMap = ({ memberRows, objectionRows, dayRows }: TDashboardFigures, pending: TNoticeDeltaRow[] = []) => {
  const map = new Map<string, { figure: string; country: string | null; value: number }>();
  const add = (figure: string, country: string | null, value: number) => {
    const key = `${figure}|${country ?? ""}`;
    const total = (map.get(key)?.value ?? 0) + value;
    map.set(key, { figure, country, value: total });
  };
  for (const row of memberRows) for (const figure of MEMBER_FIGURES) add(figure, row.country, Number(row[figure]));
  for (const row of pending) for (const [figure, column] of Object.entries(PENDING_COLUMNS)) add(figure, row.country, Number(row[column]));
  for (const row of objectionRows) add(`objections.${row.status}.${row.source}`, row.country, Number(row.objections));
  for (const row of dayRows) add(`objectionsPerDay.${row.day}`, null, Number(row.objections));
  return map;
};

/**
 * The nightly check of the dashboard's counters: every figure recounted from the rows with the
 * full SQL, in the same snapshot as the counters. The members still in the change log are counted
 * as the next refresh will count them, so a change made during the check is not drift. A figure
 * that disagrees is logged (`dashboard_drift`, a warning to alert on) and returned; nothing is
 * corrected: drift means a writer the triggers do not see, and that is what to find.
 */
export const checkDashboard = async ({ actor, now = new Date() }: { actor: TActor; now?: Date }) => {
  assertActorKind(actor, "system");
  const { counted, recounted, pending } = await inTransaction(
    async (client) => ({
      counted: await countedDashboardFigures(client, now),
      pending: (await client.query<TNoticeDeltaRow>(PENDING_NOTICE_DELTAS_SQL)).rows,
      recounted: await recountDashboardFigures(client, now),
    }),
    { isolation: "REPEATABLE READ" },
  );
  const countedMap = figureMap(counted, pending);
  const recountedMap = figureMap(recounted);
  const drift: TDashboardDrift[] = [];
  for (const key of new Set([...countedMap.keys(), ...recountedMap.keys()])) {
    const { figure, country } = (countedMap.get(key) ?? recountedMap.get(key))!;
    const countedValue = countedMap.get(key)?.value ?? 0;
    const recountedValue = recountedMap.get(key)?.value ?? 0;
    if (countedValue !== recountedValue) drift.push({ figure, country, counted: countedValue, recounted: recountedValue });
  }
  for (const row of drift) logger().warn({ event: "dashboard_drift", ...row }, "a dashboard figure disagrees with its rows");
  return drift;
};

/** The summary the full recount gives (the counted one's oracle in tests and benches); stores nothing. */
export const recountDashboardSummary = async ({ actor, now = new Date() }: { actor: TActor; now?: Date }) => {
  assertActorKind(actor, "system");
  const figures = await inTransaction((client) => recountDashboardFigures(client, now), { isolation: "REPEATABLE READ" });
  return composeDashboardSummary({ figures, now });
};
