import "server-only";

import type { TDashboardFigures } from "@/lib/dashboard/dashboard-figures";
import { firstChartDay, utcDay } from "@/lib/dashboard/dashboard-figures";
import { OBJECTIONS_PER_DAY_DAYS, ZDashboardSummary, type TDashboardSummary } from "@/lib/dashboard/dashboard-summary-schema";
import { ObjectionSource } from "@/lib/generated/prisma/enums";

const DAY_MS = 86_400_000;

const sum = <T>(rows: T[], pick: (row: T) => number) => rows.reduce((total, row) => total + pick(row), 0);

/** The page's summary from the figures' rows, whether counted or recounted. */
export const composeDashboardSummary = ({ figures: { memberRows, objectionRows, dayRows }, now }: { figures: TDashboardFigures; now: Date }): TDashboardSummary => {
  const firstDay = firstChartDay(now);
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

  return ZDashboardSummary.parse({
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
  } satisfies TDashboardSummary);
};
