import { Time } from "@/components/admin/objection-detail/detail-time";
import type { TObjectionDetailActions } from "@/components/admin/objection-detail/objection-detail-actions";
import { PendingRejectionControls } from "@/components/admin/objection-detail/rejection-controls";
import { Alert } from "@/components/ui/alert";
import type { TObjectionDetail } from "@/lib/objections/admin/get-objection-detail";

/** The banners above the cards: a rejection waiting for a second reviewer, a rejection done, a spam mark. */
export const StatusAlerts = ({
  detail,
  actorId,
  actions,
}: {
  detail: TObjectionDetail;
  actorId: string;
  actions: TObjectionDetailActions;
}) => {
  const pending = detail.status === "effective" && detail.rejection;
  const isRequester = detail.rejection?.requestedById === actorId;
  return (
    <>
      {pending && detail.rejection ? (
        <Alert
          tone="warning"
          title={`Rejection requested by ${detail.rejection.requestedByLabel}, waiting for a second reviewer`}
          className="mb-4"
        >
          <p>
            Requested <Time date={detail.rejection.requestedAt} />. The
            objection stays effective until another reviewer approves.
          </p>
          <p className="mt-2 font-medium">Reason the person will receive:</p>
          <blockquote
            className="mt-1 border-l-4 border-amber-400 pl-3 whitespace-pre-wrap"
            data-testid="pending-rejection-reason"
          >
            {detail.rejection.reason}
          </blockquote>
          {detail.can.act ? (
            <PendingRejectionControls
              objectionId={detail.id}
              approveRejection={actions.approveRejection}
              cancelRejection={actions.cancelRejection}
              canApprove={detail.can.approveRejection}
              canCancel={detail.can.cancelRejection}
              isRequester={isRequester}
            />
          ) : null}
        </Alert>
      ) : null}
      {detail.status === "rejected" && detail.rejection ? (
        <Alert tone="danger" title="Rejected" className="mb-4">
          <p>
            Rejected <Time date={detail.rejectedAt} />. The person was emailed
            this reason; the objection leaves the export at its next run.
          </p>
          <blockquote className="mt-1 border-l-4 border-red-300 pl-3 whitespace-pre-wrap">
            {detail.rejection.reason}
          </blockquote>
        </Alert>
      ) : null}
      {detail.spamAt ? (
        <Alert tone="info" className="mb-4">
          Marked as spam <Time date={detail.spamAt} />. It stays effective and
          in the export: leaving someone out of AI training by mistake harms no
          one.
        </Alert>
      ) : null}
    </>
  );
};
