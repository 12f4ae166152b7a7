import type { ComponentProps } from "react";

import { cn } from "@/components/ui/cn";

export const Card = ({ className, ...props }: ComponentProps<"section">) => <section className={cn("rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-5", className)} {...props} />;

export const CardTitle = ({ className, ...props }: ComponentProps<"h2">) => <h2 className={cn("text-base font-semibold text-slate-900", className)} {...props} />;

export const CardDescription = ({ className, ...props }: ComponentProps<"p">) => <p className={cn("mt-1 text-sm text-slate-600", className)} {...props} />;
