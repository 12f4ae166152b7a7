"use client";

import { Users } from "lucide-react";
import { useState, useTransition } from "react";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import type { TActionResult } from "@/lib/auth/admin-action";
import { audienceSentence, TOO_LARGE_TO_COUNT, type TAudienceFigures } from "@/lib/campaigns/audience-wording";

type TExactAnswer = { scope: string; figures: TAudienceFigures | null; error?: string };

/**
 * "Count exactly": runs the exact count (a scan of the members, up to 10 s) only when asked, and
 * keeps its answer for the `scope` (the countries and follow-up) it was asked for: once the form's
 * choice changes, the answer no longer applies and the estimate shows again.
 */
export const useExactCount = ({ scope, count }: { scope: string; count: () => Promise<TActionResult<TAudienceFigures>> }) => {
  const [answer, setAnswer] = useState<TExactAnswer | null>(null);
  const [counting, startCounting] = useTransition();
  const current = answer?.scope === scope ? answer : null;
  const countExactly = () =>
    startCounting(async () => {
      const result = await count();
      setAnswer(result.ok ? { scope, figures: result.data ?? null } : { scope, figures: null, error: result.message });
    });
  return {
    exact: current?.figures && current.figures.count !== null ? current.figures : null,
    tooLarge: !!current?.figures && current.figures.count === null,
    error: current?.error,
    counting,
    countExactly,
  };
};

/**
 * The audience sentence (an estimate, or the exact count once asked for) with its "Count exactly"
 * button, on the new campaign's form and the draft's page. `figures` null: the estimate is on its way.
 */
export const AudienceLine = ({
  figures,
  followUp,
  suffix,
  exactCount,
  className,
}: {
  figures: TAudienceFigures | null;
  followUp: boolean;
  suffix?: string;
  exactCount: ReturnType<typeof useExactCount>;
  className?: string;
}) => {
  const { exact, tooLarge, error, counting, countExactly } = exactCount;
  const canCount = !!figures && !exact && !tooLarge;
  return (
    <div className={cn("space-y-2", className)}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <p className="flex items-center gap-2 text-sm text-slate-800" aria-live="polite" data-testid="campaign-audience-estimate">
          <Users className="h-4 w-4 shrink-0" aria-hidden />
          {figures ? `${audienceSentence(figures, { followUp })}${suffix ? ` ${suffix}` : ""}` : "Estimating the audience…"}
        </p>
        {canCount ? (
          <Button type="button" variant="secondary" size="sm" disabled={counting} onClick={countExactly}>
            {counting ? "Counting…" : "Count exactly"}
          </Button>
        ) : null}
      </div>
      {tooLarge ? (
        <Alert tone="warning" role="status">
          {TOO_LARGE_TO_COUNT}
        </Alert>
      ) : null}
      {error ? (
        <Alert tone="danger" role="alert">
          {error}
        </Alert>
      ) : null}
    </div>
  );
};
