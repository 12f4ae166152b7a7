"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

import { Alert } from "@/components/ui/alert";
import { Progress } from "@/components/ui/progress";
import type { TCampaignStats } from "@/lib/campaigns/campaign-stats";

const POLL_MS = 2000;

const COUNTS: { key: keyof Omit<TCampaignStats, "status" | "failureReason" | "failedAt" | "pacing">; label: string }[] = [
  { key: "total", label: "Audience" },
  { key: "queued", label: "Queued" },
  { key: "sent", label: "Sent" },
  { key: "failed", label: "Failed" },
  { key: "skipped", label: "Skipped (objected)" },
  { key: "seen", label: "Seen" },
  { key: "clicked", label: "Clicked" },
  { key: "objected", label: "Objected" },
];

/** "Waiting: gmail.com is paced at 300 emails/s; 1,234 emails queued." */
const pacingSummary = ({ pacing, queued }: { pacing: NonNullable<TCampaignStats["pacing"]>; queued: number }) => {
  const domains = pacing.domains.map(({ domain, ratePerSecond }, index) =>
    ratePerSecond === null ? `${domain} is paced` : `${domain}${index === 0 ? " is paced" : ""} at ${ratePerSecond.toLocaleString("en")} emails/s`,
  );
  return `Waiting: ${domains.join(", ")}; ${queued.toLocaleString("en")} email${queued === 1 ? "" : "s"} queued.`;
};

/**
 * Every count, polled every 2 s while the campaign runs; the page refreshes when the status
 * changes (and, keyed by status, mounts this afresh with the server's counts).
 */
export const CampaignProgress = ({ campaignId, initial, hasEmail }: { campaignId: string; initial: TCampaignStats; hasEmail: boolean }) => {
  const router = useRouter();
  const [polled, setPolled] = useState<TCampaignStats | null>(null);
  const stats = polled ?? initial;
  const running = initial.status === "running";

  useEffect(() => {
    if (!running) return;
    let stopped = false;
    const timer = setInterval(async () => {
      try {
        const response = await fetch(`/admin/campaigns/${campaignId}/progress`, { cache: "no-store" });
        if (stopped || !response.ok) return;
        const next = (await response.json()) as TCampaignStats;
        setPolled(next);
        if (next.status !== initial.status) router.refresh();
      } catch {
        // A network blip: the next tick tries again.
      }
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [campaignId, initial.status, router, running]);

  const done = stats.status === "done";
  const handled = stats.sent + stats.failed + stats.skipped;
  const max = Math.max(1, stats.total);
  // Before the audience is computed its size is unknown: an indeterminate bar.
  const value = stats.status === "draft" ? 0 : done ? max : hasEmail && stats.total > 0 ? handled : null;
  const summary =
    stats.status === "draft"
      ? "Not launched yet."
      : done
        ? `Done: ${stats.sent.toLocaleString("en")} sent, ${stats.failed.toLocaleString("en")} failed${stats.skipped > 0 ? `, ${stats.skipped.toLocaleString("en")} skipped (objected first)` : ""}, of ${stats.total.toLocaleString("en")}.`
        : stats.status === "failed"
          ? `Stopped: ${handled.toLocaleString("en")} of ${stats.total.toLocaleString("en")} handled when sending failed.`
          : stats.total === 0
            ? "Computing the audience…"
            : `${handled.toLocaleString("en")} of ${stats.total.toLocaleString("en")} handled${stats.status === "paused" ? " (paused)" : ""}.`;

  return (
    <div className="space-y-4">
      {stats.status === "failed" ? (
        <Alert tone="danger" title="Sending failed and stopped" role="alert">
          <p data-testid="campaign-failure-reason">{stats.failureReason ?? "No reason was recorded."}</p>
          <p className="mt-1">Fix the cause (the SMTP relay, usually), then resume: the emails still queued are sent, none twice.</p>
        </Alert>
      ) : null}
      {stats.status === "running" && stats.pacing ? (
        <Alert tone="info" title="Paced by recipient domain" role="status">
          <p data-testid="campaign-pacing">{pacingSummary({ pacing: stats.pacing, queued: stats.queued })}</p>
          <p className="mt-1">These emails stay queued and go out as the domain&apos;s rate (MAIL_DOMAIN_RATES) allows; none is skipped.</p>
        </Alert>
      ) : null}
      <div className="space-y-2">
        <Progress value={value} max={max} label="Sending progress" />
        <p className="text-sm text-slate-700" aria-live="polite" data-testid="campaign-progress-summary">
          {summary}
        </p>
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {COUNTS.map(({ key, label }) => (
          <div key={key} className="rounded-lg border border-slate-200 bg-white p-3">
            <dt className="text-xs text-slate-600">{label}</dt>
            <dd className="mt-1 text-xl font-semibold tabular-nums text-slate-900" data-testid={`campaign-count-${key}`}>
              {stats[key].toLocaleString("en")}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
};
