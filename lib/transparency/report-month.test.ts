import { describe, expect, it } from "vitest";

import type { TTransparencyReport, TTransparencyRow } from "@/lib/transparency/read-transparency-report";
import { chosenReportMonth, reportMonths } from "@/lib/transparency/report-month";

const figure = { value: 10, withheld: false };
const row = (country: string, month: string): TTransparencyRow => ({
  country,
  month,
  notices_sent: figure,
  reached: figure,
  objections: figure,
  withdrawals: figure,
  median_hours_to_export: figure,
});
const report = (rows: TTransparencyRow[]): TTransparencyReport => ({ generated_at: "2026-12-07T00:00:00.000Z", smallest_shown: 10, rows });

describe("the month the transparency page shows", () => {
  const withRows = report([row("DE", "2026-12"), row("FR", "2026-12"), row("DE", "2026-11")]);

  it("lists each month once, newest first", () => {
    expect(reportMonths(withRows)).toEqual(["2026-12", "2026-11"]);
  });

  it("is the month asked for when the report has it, else the newest", () => {
    expect(chosenReportMonth({ report: withRows, requested: "2026-11" })).toBe("2026-11");
    expect(chosenReportMonth({ report: withRows, requested: undefined })).toBe("2026-12");
    expect(chosenReportMonth({ report: withRows, requested: "2019-03" })).toBe("2026-12");
    expect(chosenReportMonth({ report: withRows, requested: "2026-13" })).toBe("2026-12");
    expect(chosenReportMonth({ report: withRows, requested: ["2026-11", "2026-12"] })).toBe("2026-12");
  });

  it("is none when there are no figures yet: the page shows its empty state", () => {
    expect(chosenReportMonth({ report: report([]), requested: "2026-11" })).toBeNull();
  });
});
