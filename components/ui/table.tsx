import type { ComponentProps } from "react";

import { cn } from "@/components/ui/cn";

/** A column header of a hand-built console table; `className` adds the table's own header style. */
export const Th = ({ className, ...props }: ComponentProps<"th">) => <th scope="col" className={cn("bg-slate-50 px-3 py-2 whitespace-nowrap text-slate-700", className)} {...props} />;

/** A body cell of a hand-built console table; `className` adds the table's own cell style. */
export const Td = ({ className, ...props }: ComponentProps<"td">) => <td className={cn("border-t border-slate-200 px-3 py-2 text-slate-900", className)} {...props} />;
