import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { formatCount, formatShare } from "@/components/admin/dashboard/format";
import type { TDashboardSummary } from "@/lib/dashboard/dashboard-summary-schema";
import { countryName } from "@/lib/members/country-name";

const NUMBER_CELL = "px-2 py-2 text-right tabular-nums";

/** One row per country, the most eligible members first; scrolls sideways inside its card on a phone. */
export const CountryTable = ({ countries }: { countries: TDashboardSummary["countries"] }) => {
  const rows = [...countries].sort((a, b) => b.eligible - a.eligible || b.objected - a.objected || a.country.localeCompare(b.country));
  return (
    <Card>
      <CardTitle id="countries-title">By country</CardTitle>
      <CardDescription>Members by the country of their account; objections by the country given with them. In effect: objections now in effect.</CardDescription>
      <div className="mt-4 overflow-x-auto" tabIndex={0} role="region" aria-labelledby="countries-title">
        <table className="w-full min-w-[36rem] text-sm wrap-normal">
          <thead className="border-b border-slate-200 text-left text-slate-700">
            <tr>
              <th scope="col" className="px-2 py-2 font-medium whitespace-nowrap">Country</th>
              <th scope="col" className="px-2 py-2 text-right font-medium whitespace-nowrap">Eligible</th>
              <th scope="col" className="px-2 py-2 text-right font-medium whitespace-nowrap">Notified</th>
              <th scope="col" className="px-2 py-2 text-right font-medium whitespace-nowrap">In effect</th>
              <th scope="col" className="px-2 py-2 text-right font-medium whitespace-nowrap">Share of eligible</th>
              <th scope="col" className="px-2 py-2 text-right font-medium whitespace-nowrap">Withdrawn</th>
              <th scope="col" className="px-2 py-2 text-right font-medium whitespace-nowrap">Rejected</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 text-slate-900">
            {rows.length === 0 ? (
              <tr>
                <td colSpan={7} className="px-3 py-6 text-center text-slate-600">
                  No members or objections yet.
                </td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr key={row.country}>
                  <th scope="row" className="px-2 py-2 text-left font-normal">
                    {countryName({ country: row.country, locale: "en" })} <span className="text-slate-600">({row.country})</span>
                  </th>
                  <td className={NUMBER_CELL}>{formatCount(row.eligible)}</td>
                  <td className={NUMBER_CELL}>{formatCount(row.notified)}</td>
                  <td className={NUMBER_CELL}>{formatCount(row.objected)}</td>
                  <td className={NUMBER_CELL}>{row.eligible > 0 ? formatShare(row.objected, row.eligible) : "–"}</td>
                  <td className={NUMBER_CELL}>{formatCount(row.withdrawn)}</td>
                  <td className={NUMBER_CELL}>{formatCount(row.rejected)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </Card>
  );
};
