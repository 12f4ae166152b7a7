"use client";

import { Flag } from "lucide-react";

import { ActionDialog, ActionDialogButtons, useActionDialog } from "@/components/admin/objection-detail/action-dialog";
import { ActionMessage } from "@/components/admin/objection-detail/action-message";
import type { TAdminActionFn } from "@/components/admin/objection-detail/objection-detail-actions";
import { Button } from "@/components/ui/button";

/** Flags abuse without taking anyone out of the export: leaving someone out of training by mistake harms no one. */
export const SpamDialog = ({ objectionId, markSpam }: { objectionId: string; markSpam: TAdminActionFn }) => {
  const dialog = useActionDialog(markSpam);
  const { pending, result } = dialog;
  return (
    <div>
      <ActionDialog
        state={dialog}
        trigger={
          <Button type="button" variant="secondary" size="sm">
            <Flag className="h-4 w-4" aria-hidden />
            Mark as spam
          </Button>
        }
        title="Mark as spam?"
        description="The objection stays effective and stays in the export. Leaving someone out of AI training by mistake harms no one; training on someone who objected would."
      >
        {result && !result.ok ? <ActionMessage result={result} /> : null}
        <ActionDialogButtons>
          <Button
            type="button"
            size="sm"
            disabled={pending}
            onClick={() => dialog.runAndClose({ objectionId })}
          >
            {pending ? "Marking…" : "Mark as spam"}
          </Button>
        </ActionDialogButtons>
      </ActionDialog>
      {result?.ok ? <ActionMessage result={result} /> : null}
    </div>
  );
};
