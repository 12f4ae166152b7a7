"use client";

import * as ProgressPrimitive from "@radix-ui/react-progress";

import { cn } from "@/components/ui/cn";

/** `value` of `max`; null draws an indeterminate bar (work whose size is not known yet). */
export const Progress = ({ value, max = 100, label, className }: { value: number | null; max?: number; label: string; className?: string }) => {
  const percent = value === null || max === 0 ? null : Math.min(100, Math.round((value / max) * 100));
  return (
    <ProgressPrimitive.Root value={value} max={max} aria-label={label} className={cn("relative h-3 w-full overflow-hidden rounded-full bg-slate-200", className)}>
      <ProgressPrimitive.Indicator
        className={cn("h-full bg-blue-700 transition-[width] duration-500", percent === null && "w-1/3 animate-pulse")}
        style={percent === null ? undefined : { width: `${percent}%` }}
      />
    </ProgressPrimitive.Root>
  );
};
