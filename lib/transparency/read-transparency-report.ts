import "server-only";

import { readOnReplica } from "@/lib/read-replica/read-on-replica";
import {
  REPORT_COUNTERS_SQL,
  REPORT_EXPORT_HOURS_SQL,
  type TReportCounterRow,
  type TReportExportHoursRow,
} from "@/lib/transparency/transparency-sql";
import { countFigure, medianFigure, SMALLEST_SHOWN, type TFigure } from "@/lib/transparency/withhold";

/** One country's figures for one month, as published (/transparency.json's `rows`). */
export type TTransparencyRow = {
  country: string;
  /** YYYY-MM, UTC. */
  month: string;
  notices_sent: TFigure;
  reached: TFigure;
  objections: TFigure;
  withdrawals: TFigure;
  median_hours_to_export: TFigure;
};

export type TTransparencyReport = {
  generated_at: string;
  /** Counts from 1 to this minus 1 are withheld. */
  smallest_shown: number;
  /** Newest month first, then by country code. */
  rows: TTransparencyRow[];
};

type TRaw = { noticesSent: number; reached: number; objections: number; withdrawals: number; exported: number; medianHours: number | null };

const EMPTY: TRaw = { noticesSent: 0, reached: 0, objections: 0, withdrawals: 0, exported: 0, medianHours: null };

const isEmpty = (raw: TRaw) => raw.noticesSent === 0 && raw.reached === 0 && raw.objections === 0 && raw.withdrawals === 0 && raw.exported === 0;

/**
 * The report: a bounded read of the counters (a row per country, month and shard) and of the export
 * histogram (a row per country, month and whole hour), merged here. A replica a little behind
 * serves it as well as the primary.
 */
export const readTransparencyReport = async (): Promise<TTransparencyReport> => {
  const [counters, hours] = await readOnReplica(({ pool }) =>
    Promise.all([pool.query<TReportCounterRow>(REPORT_COUNTERS_SQL), pool.query<TReportExportHoursRow>(REPORT_EXPORT_HOURS_SQL)]),
  );
  const byKey = new Map<string, TRaw & { country: string; month: string }>();
  const entry = (country: string, month: string) => {
    const key = `${month} ${country}`;
    let found = byKey.get(key);
    if (!found) byKey.set(key, (found = { ...EMPTY, country, month }));
    return found;
  };
  for (const row of counters.rows) {
    Object.assign(entry(row.country, row.month), {
      noticesSent: Number(row.noticesSent),
      reached: Number(row.reached),
      objections: Number(row.objections),
      withdrawals: Number(row.withdrawals),
    });
  }
  for (const row of hours.rows) Object.assign(entry(row.country, row.month), { exported: Number(row.exported), medianHours: Number(row.medianHours) });
  const rows = [...byKey.values()]
    .filter((raw) => !isEmpty(raw))
    .sort((a, b) => (a.month === b.month ? a.country.localeCompare(b.country) : b.month.localeCompare(a.month)))
    .map(
      (raw): TTransparencyRow => ({
        country: raw.country,
        month: raw.month,
        notices_sent: countFigure(raw.noticesSent),
        reached: countFigure(raw.reached),
        objections: countFigure(raw.objections),
        withdrawals: countFigure(raw.withdrawals),
        median_hours_to_export: medianFigure({ median: raw.medianHours, from: raw.exported }),
      }),
    );
  return { generated_at: new Date().toISOString(), smallest_shown: SMALLEST_SHOWN, rows };
};
