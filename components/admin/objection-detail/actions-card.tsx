import { MatchDialog } from "@/components/admin/objection-detail/match-dialog";
import { NoteForm } from "@/components/admin/objection-detail/note-form";
import type { TObjectionDetailActions } from "@/components/admin/objection-detail/objection-detail-actions";
import { RequestRejectionDialog } from "@/components/admin/objection-detail/rejection-controls";
import { SpamDialog } from "@/components/admin/objection-detail/spam-dialog";
import { UnmatchDialog } from "@/components/admin/objection-detail/unmatch-dialog";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import type { TObjectionDetail } from "@/lib/objections/admin/get-objection-detail";

/** What a reviewer may do to the objection, each through the route's server action. */
export const ActionsCard = ({
  detail,
  actions,
}: {
  detail: TObjectionDetail;
  actions: TObjectionDetailActions;
}) => (
  <Card aria-labelledby="actions-title" className="mt-4">
    <CardTitle id="actions-title">Actions</CardTitle>
    <CardDescription>
      Every action is recorded on the timeline and in the audit log.
    </CardDescription>
    <div className="mt-3 flex flex-wrap items-start gap-2">
      {detail.can.match ? <MatchDialog objectionId={detail.id} match={actions.match} previewMatch={actions.previewMatch} /> : null}
      {detail.can.unmatch && detail.member ? <UnmatchDialog objectionId={detail.id} externalId={detail.member.externalId} unmatch={actions.unmatch} /> : null}
      {detail.can.markSpam ? (
        <SpamDialog objectionId={detail.id} markSpam={actions.markSpam} />
      ) : null}
      {detail.can.requestRejection ? (
        <RequestRejectionDialog objectionId={detail.id} email={detail.rejectionEmail} requestRejection={actions.requestRejection} />
      ) : null}
    </div>
    <div className="mt-5 max-w-xl">
      <NoteForm objectionId={detail.id} addNote={actions.addNote} />
    </div>
  </Card>
);
