"use client";

import { Ban, Check, Undo2 } from "lucide-react";
import { useState } from "react";

import { ActionDialog, ActionDialogButtons, ActionDialogRefusal, ActionDialogSuccess, ActionDialogTrigger, useActionDialog } from "@/components/admin/objection-detail/action-dialog";
import { ActionMessage } from "@/components/admin/objection-detail/action-message";
import type { TAdminActionFn } from "@/components/admin/objection-detail/objection-detail-actions";
import { useAdminAction } from "@/components/admin/objection-detail/use-admin-action";
import { Button } from "@/components/ui/button";
import { FieldError, Label, Textarea } from "@/components/ui/input";
import type { TRejectionEmailPreview } from "@/lib/objections/admin/rejection-email-preview";
import { OBJECTION_TEXT_MAX } from "@/lib/objections/admin/schema";

/** What the person reads around the reason: the rejection email's fixed text, in its own language. */
const RejectionEmailText = ({ email }: { email: TRejectionEmailPreview }) => (
  <figure className="min-w-0 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm" data-testid="rejection-email-text">
    <figcaption className="font-medium text-slate-800">The email around your reason, in {email.language}</figcaption>
    <div lang={email.locale} className="mt-2 space-y-2 break-words text-slate-900">
      <p className="font-semibold">{email.heading}</p>
      <p>{email.body}</p>
      <p className="font-semibold">{email.reasonTitle}</p>
      <p className="border-l-4 border-slate-400 pl-3 text-slate-700">
        <span lang="en">[Your reason, word for word]</span>
      </p>
      {email.closing.map((line) => (
        <p key={line}>{line}</p>
      ))}
    </div>
  </figure>
);

/** The first reviewer writes the reason the person will read; the objection stays effective until a second reviewer approves. */
export const RequestRejectionDialog = ({
  objectionId,
  email,
  requestRejection,
}: {
  objectionId: string;
  email: TRejectionEmailPreview;
  requestRejection: TAdminActionFn;
}) => {
  const [reason, setReason] = useState("");
  const dialog = useActionDialog(requestRejection);
  const error = dialog.errorFor("reason");
  return (
    <div>
      <ActionDialog
        state={dialog}
        width="wide"
        trigger={
          <ActionDialogTrigger icon={Ban} variant="danger">
            Reject…
          </ActionDialogTrigger>
        }
        title="Request a rejection"
        description="The reason is emailed to the person, word for word, once a second reviewer approves. Until then the objection stays effective."
      >
        <p className="mb-3 text-sm text-slate-800" data-testid="rejection-language">
          The person reads <strong>{email.language}</strong>. {email.languageSource} Write the reason in that language: it is not translated.
        </p>
        <div className="grid gap-4 md:grid-cols-2">
          <form
            noValidate
            className="min-w-0"
            onSubmit={(event) => {
              event.preventDefault();
              dialog.runAndClose({ objectionId, reason });
            }}
          >
            <Label htmlFor="rejection-reason">
              Reason (sent to the person)
            </Label>
            <p id="rejection-reason-language" className="mb-1 text-sm text-slate-600">
              Write it in {email.language}.
            </p>
            <Textarea
              id="rejection-reason"
              name="reason"
              lang={email.locale}
              value={reason}
              maxLength={OBJECTION_TEXT_MAX}
              onChange={(event) => setReason(event.target.value)}
              aria-invalid={!!error}
              aria-describedby={error ? "rejection-reason-language rejection-reason-error" : "rejection-reason-language"}
              className="min-h-40"
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
          <RejectionEmailText email={email} />
        </div>
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
