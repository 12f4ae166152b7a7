import "server-only";

import { readOnReplica } from "@/lib/read-replica/read-on-replica";
import { REPORT_SQL, type TReportRow } from "@/lib/transparency/transparency-sql";
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

const published = (row: TReportRow): TTransparencyRow => ({
  country: row.country,
  month: row.month,
  notices_sent: countFigure(Number(row.noticesSent)),
  reached: countFigure(Number(row.reached)),
  objections: countFigure(Number(row.objections)),
  withdrawals: countFigure(Number(row.withdrawals)),
  median_hours_to_export: medianFigure({ median: row.medianHours, from: Number(row.exported) }),
});

/**
 * The report: one bounded read of the counters (a row per country, month and shard; past months
 * folded to one each night) and of the medians (a row per country and month), with small figures
 * withheld. A replica a little behind serves it as well as the primary.
 */
export const readTransparencyReport = async (): Promise<TTransparencyReport> => {
  const { rows } = await readOnReplica(({ pool }) => pool.query<TReportRow>(REPORT_SQL));
  return { generated_at: new Date().toISOString(), smallest_shown: SMALLEST_SHOWN, rows: rows.map(published) };
};
