"use client";

import { Unlink } from "lucide-react";
import { useState } from "react";

import { ActionDialog, ActionDialogButtons, ActionDialogSuccess, ActionDialogTrigger, useActionDialog } from "@/components/admin/objection-detail/action-dialog";
import type { TAdminActionFn } from "@/components/admin/objection-detail/objection-detail-actions";
import { Button } from "@/components/ui/button";
import { ReasonField } from "@/components/admin/reason-field";
import { MATCH_REASON_MAX, ZObjectionUnmatch } from "@/lib/objections/admin/schema";

/** Undoes a match made in the console, with a reason for the audit log. The objection itself stays as it is. */
export const UnmatchDialog = ({ objectionId, externalId, unmatch }: { objectionId: string; externalId: string; unmatch: TAdminActionFn }) => {
  const [reason, setReason] = useState("");
  const [localError, setLocalError] = useState<string | undefined>();
  const dialog = useActionDialog(unmatch);
  const error = localError ?? dialog.errorFor("reason");
  return (
    <div>
      <ActionDialog
        state={dialog}
        trigger={<ActionDialogTrigger icon={Unlink}>Unmatch…</ActionDialogTrigger>}
        title="Undo the match"
        description={`The objection stops counting as member ${externalId}'s: they are back in campaign audiences, and the next export lists the objection without their external id. The objection itself stays as it is.`}
      >
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const parsed = ZObjectionUnmatch.safeParse({ objectionId, reason });
            setLocalError(parsed.success ? undefined : parsed.error.issues[0]?.message);
            if (parsed.success) dialog.runAndClose({ objectionId, reason });
          }}
        >
          <ReasonField id="unmatch-reason" label="Why was the match wrong? (kept in the audit log)" value={reason} onChange={setReason} maxLength={MATCH_REASON_MAX} error={error} />
          <ActionDialogButtons>
            <Button type="submit" variant="danger" size="sm" disabled={dialog.pending}>
              {dialog.pending ? "Unmatching…" : "Unmatch"}
            </Button>
          </ActionDialogButtons>
        </form>
      </ActionDialog>
      <ActionDialogSuccess state={dialog} />
    </div>
  );
};
