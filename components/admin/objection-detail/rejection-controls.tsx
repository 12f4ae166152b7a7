"use client";

import { Ban, Check, Undo2 } from "lucide-react";
import { useState } from "react";

import { ActionDialog, ActionDialogButtons, ActionDialogRefusal, ActionDialogSuccess, ActionDialogTrigger, useActionDialog } from "@/components/admin/objection-detail/action-dialog";
import { ActionMessage } from "@/components/admin/objection-detail/action-message";
import type { TAdminActionFn } from "@/components/admin/objection-detail/objection-detail-actions";
import { useAdminAction } from "@/components/admin/objection-detail/use-admin-action";
import { Button } from "@/components/ui/button";
import { FieldError, Label, Textarea } from "@/components/ui/input";
import { OBJECTION_TEXT_MAX } from "@/lib/objections/admin/schema";

/** The first reviewer writes the reason the person will read; the objection stays effective until a second reviewer approves. */
export const RequestRejectionDialog = ({
  objectionId,
  requestRejection,
}: {
  objectionId: string;
  requestRejection: TAdminActionFn;
}) => {
  const [reason, setReason] = useState("");
  const dialog = useActionDialog(requestRejection);
  const error = dialog.errorFor("reason");
  return (
    <div>
      <ActionDialog
        state={dialog}
        trigger={
          <ActionDialogTrigger icon={Ban} variant="danger">
            Reject…
          </ActionDialogTrigger>
        }
        title="Request a rejection"
        description="The reason is emailed to the person, word for word, once a second reviewer approves. Until then the objection stays effective."
      >
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            dialog.runAndClose({ objectionId, reason });
          }}
        >
          <Label htmlFor="rejection-reason">
            Reason (sent to the person)
          </Label>
          <Textarea
            id="rejection-reason"
            name="reason"
            value={reason}
            maxLength={OBJECTION_TEXT_MAX}
            onChange={(event) => setReason(event.target.value)}
            aria-invalid={!!error}
            aria-describedby={error ? "rejection-reason-error" : undefined}
          />
          <FieldError id="rejection-reason-error" message={error} />
          <ActionDialogButtons>
            <Button
              type="submit"
              variant="danger"
              size="sm"
              disabled={dialog.pending}
            >
              {dialog.pending ? "Requesting…" : "Request rejection"}
            </Button>
          </ActionDialogButtons>
        </form>
      </ActionDialog>
      <ActionDialogSuccess state={dialog} />
    </div>
  );
};

type TPendingRejectionProps = {
  objectionId: string;
  approveRejection: TAdminActionFn;
  cancelRejection: TAdminActionFn;
  canApprove: boolean;
  canCancel: boolean;
  isRequester: boolean;
};

/** Approve (after a confirmation) or cancel a pending rejection. The requester sees why approve is off; the server refuses them anyway. */
export const PendingRejectionControls = ({
  objectionId,
  approveRejection,
  cancelRejection,
  canApprove,
  canCancel,
  isRequester,
}: TPendingRejectionProps) => {
  const approval = useActionDialog(approveRejection);
  const cancellation = useAdminAction(cancelRejection);
  return (
    <div className="mt-3">
      <div className="flex flex-wrap gap-2">
        <ActionDialog
          state={approval}
          trigger={
            <ActionDialogTrigger
              icon={Check}
              variant="danger"
              disabled={!canApprove}
              aria-describedby={
                isRequester ? "approve-own-rejection" : undefined
              }
            >
              Approve rejection
            </ActionDialogTrigger>
          }
          title="Approve this rejection?"
          description="The objection becomes rejected, leaves the next export, and the person is emailed the reason. This cannot be undone; the person may object again."
        >
          <ActionDialogRefusal state={approval} />
          <ActionDialogButtons cancelLabel="Keep it pending">
            <Button
              type="button"
              variant="danger"
              size="sm"
              disabled={approval.pending}
              onClick={() => approval.runAndClose({ objectionId })}
            >
              {approval.pending
                ? "Approving…"
                : "Approve and email the person"}
            </Button>
          </ActionDialogButtons>
        </ActionDialog>
        {canCancel ? (
          <Button
            type="button"
            variant="secondary"
            size="sm"
            disabled={cancellation.pending}
            onClick={() => cancellation.run({ objectionId })}
          >
            <Undo2 className="h-4 w-4" aria-hidden />
            {cancellation.pending ? "Cancelling…" : "Cancel the request"}
          </Button>
        ) : null}
      </div>
      {isRequester ? (
        <p id="approve-own-rejection" className="mt-2 text-sm text-slate-700">
          You requested this rejection, so you cannot approve it: another
          reviewer must.
        </p>
      ) : null}
      <ActionDialogSuccess state={approval} />
      <ActionMessage result={cancellation.result} />
    </div>
  );
};
