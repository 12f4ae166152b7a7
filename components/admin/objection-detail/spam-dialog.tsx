"use client";

import { Flag } from "lucide-react";

import { ActionDialog, ActionDialogButtons, ActionDialogRefusal, ActionDialogSuccess, ActionDialogTrigger, useActionDialog } from "@/components/admin/objection-detail/action-dialog";
import type { TAdminActionFn } from "@/components/admin/objection-detail/objection-detail-actions";
import { Button } from "@/components/ui/button";

/** Flags abuse without taking anyone out of the export: leaving someone out of training by mistake harms no one. */
export const SpamDialog = ({ objectionId, markSpam }: { objectionId: string; markSpam: TAdminActionFn }) => {
  const dialog = useActionDialog(markSpam);
  return (
    <div>
      <ActionDialog
        state={dialog}
        trigger={<ActionDialogTrigger icon={Flag}>Mark as spam</ActionDialogTrigger>}
        title="Mark as spam?"
        description="The objection stays effective and stays in the export. Leaving someone out of AI training by mistake harms no one; training on someone who objected would."
      >
        <ActionDialogRefusal state={dialog} />
        <ActionDialogButtons>
          <Button
            type="button"
            size="sm"
            disabled={dialog.pending}
            onClick={() => dialog.runAndClose({ objectionId })}
          >
            {dialog.pending ? "Marking…" : "Mark as spam"}
          </Button>
        </ActionDialogButtons>
      </ActionDialog>
      <ActionDialogSuccess state={dialog} />
    </div>
  );
};
