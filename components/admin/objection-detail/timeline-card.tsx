import { History } from "lucide-react";

import { Time } from "@/components/admin/objection-detail/detail-time";
import { Card, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import type { TObjectionDetail } from "@/lib/objections/admin/get-objection-detail";

/** Everything that happened to the objection, in order, with who did it. */
export const TimelineCard = ({
  timeline,
}: {
  timeline: TObjectionDetail["timeline"];
}) => (
  <Card aria-labelledby="timeline-title" className="mt-4">
    <CardTitle id="timeline-title">Timeline</CardTitle>
    {timeline.length === 0 ? (
      <div className="mt-3">
        <EmptyState icon={History} title="Nothing recorded yet" />
      </div>
    ) : (
      <ol className="mt-3 space-y-3" data-testid="timeline">
        {timeline.map((event) => (
          <li
            key={event.id}
            className="border-l-2 border-slate-300 pl-3 text-sm"
          >
            <p className="font-medium text-slate-900">
              {event.label}
            </p>
            <p className="text-slate-600">
              <Time date={event.createdAt} /> · {event.actorLabel}
            </p>
            {event.text ? (
              <p className="mt-1 whitespace-pre-wrap text-slate-800">
                {event.text}
              </p>
            ) : null}
          </li>
        ))}
      </ol>
    )}
  </Card>
);
