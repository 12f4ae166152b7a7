import { Time } from "@/components/admin/objection-detail/detail-time";
import { SOURCE_LABELS, STATUS_LABELS } from "@/components/admin/objections/objection-labels";
import { Card, CardTitle } from "@/components/ui/card";
import type { TObjectionDetail } from "@/lib/objections/admin/get-objection-detail";

/** The objection's own facts: status, source, country, when it took effect. */
export const ObjectionCard = ({ detail }: { detail: TObjectionDetail }) => (
  <Card aria-labelledby="objection-title">
    <CardTitle id="objection-title">Objection</CardTitle>
    <dl className="mt-3 grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
      <dt className="font-medium text-slate-700">Status</dt>
      <dd className="text-slate-900">{STATUS_LABELS[detail.status]}</dd>
      <dt className="font-medium text-slate-700">Source</dt>
      <dd className="text-slate-900">
        {SOURCE_LABELS[detail.source] ?? detail.source}
      </dd>
      <dt className="font-medium text-slate-700">Country</dt>
      <dd className="text-slate-900">{detail.country}</dd>
      <dt className="font-medium text-slate-700">Effective since</dt>
      <dd className="text-slate-900">
        <Time date={detail.effectiveAt} />
      </dd>
      {detail.withdrawnAt ? (
        <>
          <dt className="font-medium text-slate-700">Withdrawn</dt>
          <dd className="text-slate-900">
            <Time date={detail.withdrawnAt} />
          </dd>
        </>
      ) : null}
      <dt className="font-medium text-slate-700">Id</dt>
      <dd className="font-mono text-xs break-all text-slate-900">
        {detail.id}
      </dd>
    </dl>
  </Card>
);
