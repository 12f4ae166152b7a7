import * as LabelPrimitive from "@radix-ui/react-label";
import type { ComponentProps } from "react";

import { cn } from "@/components/ui/cn";

const FIELD = "block w-full rounded-md border border-slate-400 bg-white px-3 text-sm text-slate-900 placeholder:text-slate-500 focus-visible:border-blue-700";

export const Input = ({ className, ...props }: ComponentProps<"input">) => <input className={cn(FIELD, "h-10", className)} {...props} />;

export const Textarea = ({ className, ...props }: ComponentProps<"textarea">) => <textarea className={cn(FIELD, "min-h-24 py-2", className)} {...props} />;

/** A native select: it works without JavaScript in GET filter forms and on every phone. */
export const NativeSelect = ({ className, ...props }: ComponentProps<"select">) => <select className={cn(FIELD, "h-10 pr-8", className)} {...props} />;

export const Label = ({ className, ...props }: ComponentProps<typeof LabelPrimitive.Root>) => <LabelPrimitive.Root className={cn("mb-1 block text-sm font-medium text-slate-800", className)} {...props} />;

export const FieldError = ({ id, message }: { id: string; message?: string }) =>
  message ? (
    <p id={id} className="mt-1 text-sm text-red-700">
      {message}
    </p>
  ) : null;
