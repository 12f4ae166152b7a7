import { getFormatter, getLocale, getTranslations } from "next-intl/server";

import { TransparencyFigure } from "@/components/transparency/transparency-figure";
import { countryName } from "@/lib/members/country-name";
import type { TTransparencyRow } from "@/lib/transparency/read-transparency-report";

const FIGURES = [
  ["notices_sent", "noticesSent"],
  ["reached", "reached"],
  ["objections", "objections"],
  ["withdrawals", "withdrawals"],
  ["median_hours_to_export", "medianHours"],
] as const;

/**
 * One month's figures, a row per country: a table where the page is wide enough, a card per
 * country on a phone (only one of the two is displayed, so a screen reader meets one).
 */
export const TransparencyMonthFigures = async ({ rows, titleId }: { rows: TTransparencyRow[]; titleId: string }) => {
  const t = await getTranslations("transparency");
  const format = await getFormatter();
  const locale = await getLocale();
  const labels = { withheld: t("withheld"), none: t("noFigure") };
  const formatNumber = (value: number) => format.number(value, { maximumFractionDigits: 1 });
  const countries = rows
    .map((row) => ({ row, name: countryName({ country: row.country, locale }) }))
    .sort((a, b) => a.name.localeCompare(b.name, locale));
  return (
    <>
      <table className="transparency-table" aria-labelledby={titleId}>
        <thead>
          <tr>
            <th scope="col">{t("country")}</th>
            {FIGURES.map(([key, label]) => (
              <th scope="col" key={key}>
                {t(label)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {countries.map(({ row, name }) => (
            <tr key={row.country} data-country={row.country}>
              <th scope="row">{name}</th>
              {FIGURES.map(([key]) => (
                <td key={key}>
                  <TransparencyFigure figure={row[key]} formatNumber={formatNumber} labels={labels} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="transparency-cards" aria-labelledby={titleId}>
        {countries.map(({ row, name }) => (
          <li key={row.country} data-country={row.country}>
            <h3>{name}</h3>
            <dl>
              {FIGURES.map(([key, label]) => (
                <div key={key}>
                  <dt>{t(label)}</dt>
                  <dd>
                    <TransparencyFigure figure={row[key]} formatNumber={formatNumber} labels={labels} />
                  </dd>
                </div>
              ))}
            </dl>
          </li>
        ))}
      </ul>
    </>
  );
};
