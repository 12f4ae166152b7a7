import { BarChart3 } from "lucide-react";

import { AutoRefresh } from "@/components/admin/dashboard/auto-refresh";
import { CHART_COLOURS } from "@/components/admin/dashboard/chart-colours";
import { ChartFigure } from "@/components/admin/dashboard/chart-figure";
import { CountryTable } from "@/components/admin/dashboard/country-table";
import { DailyAreaChart } from "@/components/admin/dashboard/daily-area-chart";
import { formatAge, formatCount, formatShare, formatUtc } from "@/components/admin/dashboard/format";
import { HorizontalBarChart } from "@/components/admin/dashboard/horizontal-bar-chart";
import { LastExportCard } from "@/components/admin/dashboard/last-export-card";
import { LinkRequestCeilingAlert } from "@/components/admin/dashboard/link-request-ceiling-alert";
import { NeedsAttention } from "@/components/admin/dashboard/needs-attention";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { Progress } from "@/components/ui/progress";
import { Stat } from "@/components/ui/stat";
import type { TDashboardSummary } from "@/lib/dashboard/dashboard-summary-schema";
import type { TDashboard } from "@/lib/dashboard/read-dashboard";
import type { ObjectionSource } from "@/lib/generated/prisma/enums";

const SOURCE_LABELS: Record<ObjectionSource, string> = {
  email_link: "Email link",
  in_app_link: "In-app link",
  direct: "Form, no link",
  gpc: "Browser signal (GPC)",
  in_app_setting: "In-app setting",
  prior: "Earlier (imported)",
};

const Totals = ({ totals }: { totals: TDashboardSummary["totals"] }) => (
  <section aria-labelledby="totals-title">
    <h2 id="totals-title" className="sr-only">
      Totals
    </h2>
    <div className="grid grid-cols-1 gap-3 min-[420px]:grid-cols-2 lg:grid-cols-4">
      <Stat label="Members eligible" value={formatCount(totals.eligible)} hint={`EEA, 18 or older; of ${formatCount(totals.members)} members`} />
      <Stat label="Notified by email" value={formatCount(totals.notifiedByEmail)} hint={`${formatShare(totals.notifiedByEmail, totals.eligible)} of eligible`} />
      <Stat label="Notified in-app" value={formatCount(totals.notifiedInApp)} hint={`${formatShare(totals.notifiedInApp, totals.eligible)} of eligible`} />
      <Stat label="Seen a notice" value={formatCount(totals.seen)} hint={`${formatShare(totals.seen, totals.notified)} of notified`} />
      <Stat label="Clicked a link" value={formatCount(totals.clicked)} hint={`${formatShare(totals.clicked, totals.notified)} of notified`} />
      <Stat label="Objections in effect" value={formatCount(totals.objected)} hint="Now, with or without a notice; not those withdrawn or rejected" />
      <Stat label="Withdrawn" value={formatCount(totals.withdrawn)} hint={`Rejected: ${formatCount(totals.rejected)}; all objections made: ${formatCount(totals.objected + totals.withdrawn + totals.rejected)}`} />
    </div>
  </section>
);

const Charts = ({ data }: { data: TDashboardSummary }) => {
  const { totals, channels } = data;
  const funnel = [
    { label: "Notified", value: totals.notified },
    { label: "Saw a notice", value: totals.seen },
    { label: "Clicked", value: totals.clicked },
    { label: "Objection in effect", value: totals.objectedAfterNotice },
  ];
  const channelMix = [
    { label: "Email only", value: channels.emailOnly, colour: CHART_COLOURS[0] },
    { label: "In-app only", value: channels.inAppOnly, colour: CHART_COLOURS[1] },
    { label: "Both", value: channels.both, colour: CHART_COLOURS[2] },
  ];
  const sourceMix = data.sources.map((row, index) => ({ label: SOURCE_LABELS[row.source], value: row.effective, colour: CHART_COLOURS[index % CHART_COLOURS.length] }));
  const days = data.objectionsPerDay;
  const inWindow = days.reduce((total, row) => total + row.objections, 0);
  const busiest = days.reduce((best, row) => (row.objections > best.objections ? row : best), days[0] ?? { day: "", objections: 0 });
  const asRows = (rows: { label: string; value: number }[]) => rows.map((row) => ({ label: row.label, value: formatCount(row.value) }));
  const sentence = (rows: { label: string; value: number }[]) => rows.map((row) => `${row.label} ${formatCount(row.value)}`).join(", ");

  return (
    <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
      <ChartFigure
        title="From notice to objection"
        description="Members at each step; a member who clicked counts as having seen a notice. The last counts notified members whose objection is in effect."
        label={`Funnel: ${sentence(funnel)}.`}
        columns={["Step", "Members"]}
        rows={asRows(funnel)}
      >
        <HorizontalBarChart data={funnel} labelWidth={140} />
      </ChartFigure>
      <ChartFigure
        title="Objections made per day"
        description="Every objection made in the last 90 days, by the day it took effect (UTC), including those since withdrawn or rejected."
        label={`Objections made per day over the last 90 days: ${formatCount(inWindow)} in all${busiest.objections > 0 ? `, at most ${formatCount(busiest.objections)} on ${busiest.day}` : ""}.`}
        columns={["Day", "Objections made"]}
        rows={days.filter((row) => row.objections > 0).map((row) => ({ label: row.day, value: formatCount(row.objections) }))}
      >
        <DailyAreaChart data={days} />
      </ChartFigure>
      <ChartFigure title="Channel mix" description="How notified members were reached." label={`Channel mix: ${sentence(channelMix)}.`} columns={["Channel", "Members"]} rows={asRows(channelMix)}>
        <HorizontalBarChart data={channelMix} />
      </ChartFigure>
      <ChartFigure
        title="Source mix"
        description="Where the objections now in effect came from."
        label={sourceMix.length > 0 ? `Source mix: ${sentence(sourceMix)}.` : "Source mix: no objections yet."}
        columns={["Source", "Objections"]}
        rows={asRows(sourceMix)}
      >
        {sourceMix.length > 0 ? <HorizontalBarChart data={sourceMix} labelWidth={140} /> : <p className="text-sm text-slate-600">No objections yet.</p>}
      </ChartFigure>
    </div>
  );
};

/** Figures this old mean no worker has run the 5-minute job for a while. */
const WORKER_SILENT_AFTER_MS = 60 * 60 * 1000;

/** Everything /admin shows, from what readDashboard returned. */
export const Dashboard = ({ dashboard, now }: { dashboard: TDashboard; now: Date }) => {
  const { summary, refreshing } = dashboard;
  return (
    <div className="space-y-6">
      {refreshing ? <AutoRefresh seconds={5} /> : null}
      <NeedsAttention attention={dashboard.needsAttention} />
      {dashboard.linkRequestCeiling ? <LinkRequestCeilingAlert ceiling={dashboard.linkRequestCeiling} /> : null}
      {summary ? (
        <>
          <p className="text-sm text-slate-600" role="status">
            Figures as of <time dateTime={summary.computedAt.toISOString()} title={formatUtc(summary.computedAt)}>{formatAge({ then: summary.computedAt, now })}</time>
            {refreshing ? "; fresh figures are being computed." : "; they are refreshed every 20 seconds."}
          </p>
          {now.getTime() - summary.computedAt.getTime() > WORKER_SILENT_AFTER_MS ? (
            <Alert tone="warning" title="These figures are old">
              No worker has refreshed them for over an hour. Check that the worker (npm run worker) is running.
            </Alert>
          ) : null}
          <Totals totals={summary.data.totals} />
          <Charts data={summary.data} />
          <div className="grid grid-cols-1 gap-4 xl:grid-cols-3">
            <div className="min-w-0 xl:col-span-2">
              <CountryTable countries={summary.data.countries} />
            </div>
            <LastExportCard dashboard={dashboard} now={now} />
          </div>
        </>
      ) : (
        <>
          <EmptyState icon={BarChart3} title="First figures are being computed">
            <p>Counting members, notices and objections takes a moment on a large platform. This page updates by itself.</p>
            <Progress value={null} label="Computing the first figures" className="mx-auto mt-4 max-w-xs" />
          </EmptyState>
          <LastExportCard dashboard={dashboard} now={now} />
        </>
      )}
    </div>
  );
};
