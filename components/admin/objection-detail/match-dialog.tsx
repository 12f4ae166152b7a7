"use client";

import { Link2 } from "lucide-react";
import { useState } from "react";

import { ActionDialog, ActionDialogButtons, ActionDialogSuccess, ActionDialogTrigger, useActionDialog } from "@/components/admin/objection-detail/action-dialog";
import type { TAdminActionFn } from "@/components/admin/objection-detail/objection-detail-actions";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label } from "@/components/ui/input";

/** Links an objection made without an account to a member, by the platform's external id. */
export const MatchDialog = ({ objectionId, match }: { objectionId: string; match: TAdminActionFn }) => {
  const [externalId, setExternalId] = useState("");
  const dialog = useActionDialog(match);
  const error = dialog.errorFor("memberExternalId");
  return (
    <div>
      <ActionDialog
        state={dialog}
        trigger={<ActionDialogTrigger icon={Link2}>Match to a member</ActionDialogTrigger>}
        title="Match to a member"
        description="Enter the platform's external id of the member this objection belongs to. The objection keeps the country the person gave."
      >
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            dialog.runAndClose({ objectionId, memberExternalId: externalId });
          }}
        >
          <Label htmlFor="match-external-id">Member external id</Label>
          <Input
            id="match-external-id"
            name="memberExternalId"
            autoComplete="off"
            value={externalId}
            onChange={(event) => setExternalId(event.target.value)}
            aria-invalid={!!error}
            aria-describedby={error ? "match-external-id-error" : undefined}
          />
          <FieldError id="match-external-id-error" message={error} />
          <ActionDialogButtons>
            <Button type="submit" size="sm" disabled={dialog.pending}>
              {dialog.pending ? "Matching…" : "Match"}
            </Button>
          </ActionDialogButtons>
        </form>
      </ActionDialog>
      <ActionDialogSuccess state={dialog} />
    </div>
  );
};
