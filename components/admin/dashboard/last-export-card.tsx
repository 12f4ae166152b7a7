import Link from "next/link";
import type { ReactNode } from "react";

import { formatAge, formatCount, formatUtc } from "@/components/admin/dashboard/format";
import { EXPORT_STATUS } from "@/components/admin/exports/export-status";
import { Badge } from "@/components/ui/badge";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import type { TDashboard } from "@/lib/dashboard/read-dashboard";

const Fact = ({ term, children }: { term: string; children: ReactNode }) => (
  <div>
    <dt className="text-sm text-slate-600">{term}</dt>
    <dd className="mt-0.5 font-medium text-slate-900">{children}</dd>
  </div>
);

/**
 * The newest export run, read live: how old, how many rows, whether the pipeline acknowledged it.
 * A failed or late export is named at the top of the dashboard, under "Needs attention".
 */
export const LastExportCard = ({ dashboard, now }: { dashboard: Pick<TDashboard, "lastExport" | "lastSucceededAt">; now: Date }) => {
  const { lastExport: run, lastSucceededAt } = dashboard;
  return (
    <Card aria-labelledby="last-export-title">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <CardTitle id="last-export-title">Last export</CardTitle>
          <CardDescription>The list of objectors handed to the training pipeline every night.</CardDescription>
        </div>
        {run ? <Badge tone={EXPORT_STATUS[run.status].tone}>{EXPORT_STATUS[run.status].label}</Badge> : null}
      </div>
      {run ? (
        <dl className="mt-4 grid grid-cols-1 gap-4 min-[420px]:grid-cols-2">
          <Fact term="Age">
            <span title={formatUtc(run.cutoff)}>{formatAge({ then: run.cutoff, now })}</span>
          </Fact>
          <Fact term="Rows (objectors in the snapshot)">{run.rows === null ? "–" : formatCount(run.rows)}</Fact>
          <Fact term="Changes since the run before">{run.deltaRows === null ? "–" : formatCount(run.deltaRows)}</Fact>
          <Fact term="Acknowledged by the pipeline">{run.acknowledgedAt ? `Yes, ${formatAge({ then: run.acknowledgedAt, now })}` : "Not yet"}</Fact>
          {run.status !== "succeeded" && lastSucceededAt ? <Fact term="Last successful export">{formatAge({ then: lastSucceededAt, now })}</Fact> : null}
        </dl>
      ) : null}
      <p className="mt-4 text-sm">
        <Link href="/admin/exports" className="font-medium text-blue-800 underline underline-offset-2 hover:text-blue-950">
          All export runs
        </Link>
      </p>
    </Card>
  );
};
