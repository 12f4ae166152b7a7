import Link from "next/link";

import { ActionsCard } from "@/components/admin/objection-detail/actions-card";
import { NoticesCard } from "@/components/admin/objection-detail/notices-card";
import { ObjectionCard } from "@/components/admin/objection-detail/objection-card";
import type { TObjectionDetailActions } from "@/components/admin/objection-detail/objection-detail-actions";
import { PersonCard } from "@/components/admin/objection-detail/person-card";
import { RelatedCard } from "@/components/admin/objection-detail/related-card";
import { StatusAlerts } from "@/components/admin/objection-detail/status-alerts";
import { TimelineCard } from "@/components/admin/objection-detail/timeline-card";
import { STATUS_LABELS } from "@/components/admin/objections/objection-labels";
import { Badge, type TBadgeTone } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import type { TMemberNotices } from "@/lib/notifications/member-notice-history";
import type { TObjectionDetail } from "@/lib/objections/admin/get-objection-detail";

const STATUS_TONE: Record<TObjectionDetail["status"], TBadgeTone> = {
  effective: "success",
  withdrawn: "neutral",
  rejected: "danger",
};

/** The objection detail page's body: who objected (masked), what happened, what they were told, and what a reviewer can do. */
export const ObjectionDetailView = ({
  detail,
  member,
  actorId,
  actions,
}: {
  detail: TObjectionDetail;
  /** The matched member's notices and suppression (their external id is withheld here); null while unmatched. */
  member: Omit<TMemberNotices, "externalId"> | null;
  actorId: string;
  /** The route's server actions, handed to the dialog that runs each. */
  actions: TObjectionDetailActions;
}) => {
  const pending = detail.status === "effective" && detail.rejection;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link
          href="/admin/objections"
          className="text-blue-800 underline hover:text-blue-900"
        >
          ← All objections
        </Link>
      </p>
      <PageHeader
        title={`Objection ${detail.reference}`}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone={STATUS_TONE[detail.status]}>{STATUS_LABELS[detail.status]}</Badge>
            {detail.spamAt ? (
              <Badge tone="warning">Marked as spam</Badge>
            ) : null}
            {pending ? <Badge tone="warning">Rejection pending</Badge> : null}
            <Badge>{detail.matched ? "Matched" : "Unmatched"}</Badge>
          </span>
        }
      />
      <StatusAlerts detail={detail} actorId={actorId} actions={actions} />

      <div className="grid gap-4 lg:grid-cols-2">
        <PersonCard detail={detail} reveal={actions.reveal} />
        <ObjectionCard detail={detail} />
      </div>

      {detail.can.act ? <ActionsCard detail={detail} actions={actions} /> : null}
      <TimelineCard timeline={detail.timeline} />
      <NoticesCard member={member} />
      <RelatedCard related={detail.related} />
    </>
  );
};
