"use client";

import * as CheckboxPrimitive from "@radix-ui/react-checkbox";
import { Check, Minus } from "lucide-react";
import type { ComponentProps } from "react";

import { cn } from "@/components/ui/cn";

export const Checkbox = ({ className, ...props }: ComponentProps<typeof CheckboxPrimitive.Root>) => (
  <CheckboxPrimitive.Root
    className={cn("flex h-5 w-5 shrink-0 items-center justify-center rounded border border-slate-500 bg-white data-[state=checked]:border-blue-700 data-[state=checked]:bg-blue-700 data-[state=indeterminate]:bg-blue-700 text-white", className)}
    {...props}
  >
    <CheckboxPrimitive.Indicator>{props.checked === "indeterminate" ? <Minus className="h-4 w-4" aria-hidden /> : <Check className="h-4 w-4" aria-hidden />}</CheckboxPrimitive.Indicator>
  </CheckboxPrimitive.Root>
);
