import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";

export const EmptyState = ({ icon: Icon, title, children }: { icon: LucideIcon; title: string; children?: ReactNode }) => (
  <div className="flex flex-col items-center gap-2 rounded-lg border border-dashed border-slate-300 bg-white px-4 py-10 text-center">
    <Icon className="h-8 w-8 text-slate-500" aria-hidden />
    <p className="font-medium text-slate-900">{title}</p>
    {children ? <div className="max-w-md text-sm text-slate-600">{children}</div> : null}
  </div>
);
