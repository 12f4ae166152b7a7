import { AlertTriangle, CheckCircle2, Info } from "lucide-react";
import type { ReactNode } from "react";

import { cn } from "@/components/ui/cn";

const TONES = {
  info: { box: "border-blue-200 bg-blue-50 text-blue-950", Icon: Info },
  success: { box: "border-green-200 bg-green-50 text-green-950", Icon: CheckCircle2 },
  warning: { box: "border-amber-300 bg-amber-50 text-amber-950", Icon: AlertTriangle },
  danger: { box: "border-red-200 bg-red-50 text-red-950", Icon: AlertTriangle },
} as const;

export const Alert = ({ tone = "info", title, children, className, role }: { tone?: keyof typeof TONES; title?: string; children?: ReactNode; className?: string; role?: "alert" | "status" }) => {
  const { box, Icon } = TONES[tone];
  return (
    <div role={role} className={cn("flex gap-3 rounded-md border p-3 text-sm", box, className)}>
      <Icon className="mt-0.5 h-4 w-4 shrink-0" aria-hidden />
      <div>
        {title ? <p className="font-semibold">{title}</p> : null}
        {children ? <div className={cn(title && "mt-1")}>{children}</div> : null}
      </div>
    </div>
  );
};
