"use client";

import { Play } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";

import { EXPORT_STATUS } from "@/components/admin/exports/export-status";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Progress } from "@/components/ui/progress";
import type { TAppErrorBody } from "@/lib/errors/app-error-response";
import type { TExportJobProgress } from "@/lib/exports/export-job-progress";

const POLL_MS = 2000;

// The panel says what the runs table below says of the same run: its status in the table's words.
const STATE_TEXT: Record<TExportJobProgress["state"], string> = {
  waiting: "Queued: waiting for a worker…",
  running: `${EXPORT_STATUS.running.label}: writing the snapshot and the delta…`,
  succeeded: `${EXPORT_STATUS.succeeded.label}: the export run finished. It is the newest run in the table below.`,
  failed: `${EXPORT_STATUS.failed.label}: the export run failed. The table below shows why.`,
};

/**
 * Starts a run now and follows it: an indeterminate bar while it runs (its size is unknown), then the
 * result. The runs table is refreshed whenever the run appears or its status changes, so the two
 * never disagree: while this says "Running", so does the table's newest row.
 */
export const StartExportPanel = ({ canStart, notConfigured }: { canStart: boolean; notConfigured: string | null }) => {
  const router = useRouter();
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<TExportJobProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    if (!jobId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The run and status the table was last refreshed for.
    let shown = "";
    const poll = async () => {
      try {
        const response = await fetch(`/admin/exports/jobs/${jobId}`, { cache: "no-store" });
        if (stopped) return;
        if (!response.ok) {
          setError(((await response.json().catch(() => null)) as Partial<TAppErrorBody> | null)?.error?.message ?? "Could not read the run's progress.");
          return;
        }
        const next = (await response.json()) as TExportJobProgress;
        setProgress(next);
        const seen = `${next.run?.id ?? ""}:${next.run?.status ?? ""}:${next.state}`;
        if (seen !== shown) {
          shown = seen;
          router.refresh();
        }
        if (next.state === "succeeded" || next.state === "failed") return;
      } catch {
        // A network blip: try again on the next tick.
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [jobId, router]);

  const start = () =>
    startTransition(async () => {
      setError(null);
      setProgress(null);
      try {
        const response = await fetch("/admin/exports/runs", { method: "POST" });
        const body = (await response.json().catch(() => null)) as ({ jobId?: string } & Partial<TAppErrorBody>) | null;
        if (!response.ok || !body?.jobId) return setError(body?.error?.message ?? "The export could not be started.");
        setJobId(body.jobId);
      } catch {
        setError("The console could not be reached. Check the connection and try again.");
      }
    });

  const active = !!jobId && (!progress || progress.state === "waiting" || progress.state === "running");
  return (
    <div className="space-y-3">
      {notConfigured ? (
        <Alert tone="warning" title="Exports are not configured">
          {notConfigured}
        </Alert>
      ) : null}
      {canStart ? (
        <Button onClick={start} disabled={pending || active || !!notConfigured}>
          <Play className="h-4 w-4" aria-hidden />
          {active ? "Export running…" : "Start a run now"}
        </Button>
      ) : null}
      <div aria-live="polite" className="space-y-2">
        {jobId ? (
          <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
            <p className="text-sm text-slate-800">{STATE_TEXT[progress?.state ?? "waiting"]}</p>
            {active ? <Progress value={null} label="Export run progress" /> : null}
            {progress?.state === "succeeded" && progress.run?.files ? (
              <p className="text-sm text-slate-700">{progress.run.files.map((file) => `${file.name}: ${file.rows.toLocaleString("en")} rows`).join(" · ")}</p>
            ) : null}
            {progress?.message ? <p className="text-sm text-slate-700">{progress.message}</p> : null}
          </div>
        ) : null}
        {error ? (
          <Alert tone="danger" role="alert">
            {error}
          </Alert>
        ) : null}
      </div>
    </div>
  );
};
