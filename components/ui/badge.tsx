import type { ComponentProps } from "react";

import { cn } from "@/components/ui/cn";

const TONES = {
  neutral: "bg-slate-100 text-slate-800",
  success: "bg-green-100 text-green-900",
  warning: "bg-amber-100 text-amber-900",
  danger: "bg-red-100 text-red-900",
  info: "bg-blue-100 text-blue-900",
} as const;

export type TBadgeTone = keyof typeof TONES;

export const Badge = ({ tone = "neutral", className, ...props }: ComponentProps<"span"> & { tone?: TBadgeTone }) => (
  <span className={cn("inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap", TONES[tone], className)} {...props} />
);
