import { AlertTriangle, CheckCircle2, ChevronRight } from "lucide-react";
import Link from "next/link";

import { attentionLines, type TNeedsAttention } from "@/lib/dashboard/attention-lines";

const TONE = { danger: "text-red-700", warning: "text-amber-700" } as const;

/** The top of the dashboard: one line per kind of task that waits, each linking to the list that holds it. */
export const NeedsAttention = ({ attention }: { attention: TNeedsAttention }) => {
  const lines = attentionLines(attention);
  return (
    <section aria-labelledby="attention-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="needs-attention">
      <h2 id="attention-title" className="text-base font-semibold text-slate-900">
        Needs attention
      </h2>
      {lines.length === 0 ? (
        <p className="mt-2 flex items-center gap-2 text-sm text-slate-700">
          <CheckCircle2 className="h-4 w-4 shrink-0 text-green-700" aria-hidden />
          Nothing needs attention.
        </p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-100">
          {lines.map((line) => (
            <li key={line.key} data-testid={`attention-${line.key}`}>
              <Link href={line.href} className="group flex min-h-11 items-center gap-2 py-2 text-sm font-medium text-blue-800 hover:text-blue-950">
                <AlertTriangle className={`h-4 w-4 shrink-0 ${TONE[line.tone]}`} aria-hidden />
                <span className="min-w-0 flex-1 underline underline-offset-2">{line.text}</span>
                <ChevronRight className="h-4 w-4 shrink-0 text-slate-500" aria-hidden />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
};
