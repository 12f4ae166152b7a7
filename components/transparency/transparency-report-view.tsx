import { getFormatter, getTranslations } from "next-intl/server";

import { TransparencyMonthFigures } from "@/components/transparency/transparency-month-figures";
import type { TTransparencyReport } from "@/lib/transparency/read-transparency-report";
import { reportMonths } from "@/lib/transparency/report-month";

const DEFINITIONS = [
  ["noticesSent", "noticesSentDefinition"],
  ["reached", "reachedDefinition"],
  ["objections", "objectionsDefinition"],
  ["withdrawals", "withdrawalsDefinition"],
  ["medianHours", "medianHoursDefinition"],
] as const;

/** The public report: a month chosen with a plain GET form (no JavaScript needed), its figures, and what they mean. */
export const TransparencyReportView = async ({ report, month }: { report: TTransparencyReport; month: string | null }) => {
  const t = await getTranslations("transparency");
  const format = await getFormatter();
  const monthLabel = (value: string) => format.dateTime(new Date(`${value}-01T00:00:00Z`), { year: "numeric", month: "long", timeZone: "UTC" });
  const months = reportMonths(report);
  return (
    <section className="stack transparency-report" aria-labelledby="transparency-title">
      <h1 id="transparency-title">{t("title")}</h1>
      <p className="lead">{t("intro")}</p>
      {month === null ? (
        <div className="alert transparency-empty">
          <p>
            <strong>{t("empty")}</strong>
          </p>
          <p>{t("emptyHint")}</p>
        </div>
      ) : (
        <>
          <form method="get" action="/transparency" className="transparency-month">
            <label htmlFor="transparency-month">{t("month")}</label>
            <select id="transparency-month" name="month" defaultValue={month} className="input input-compact">
              {months.map((value) => (
                <option key={value} value={value}>
                  {monthLabel(value)}
                </option>
              ))}
            </select>
            <button type="submit" className="button button-secondary button-compact">
              {t("show")}
            </button>
          </form>
          <h2 id="transparency-month-title">{t("monthTitle", { month: monthLabel(month) })}</h2>
          <TransparencyMonthFigures rows={report.rows.filter((row) => row.month === month)} titleId="transparency-month-title" />
        </>
      )}
      <h2>{t("withholdingTitle")}</h2>
      <p>{t("withholding")}</p>
      <h2>{t("definitionsTitle")}</h2>
      <dl className="details">
        {DEFINITIONS.map(([term, definition]) => (
          <div key={term}>
            <dt>{t(term)}</dt>
            <dd>{t(definition)}</dd>
          </div>
        ))}
      </dl>
      <p className="hint">
        {t("freshness")} <a href="/transparency.json">{t("json")}</a>
      </p>
    </section>
  );
};
