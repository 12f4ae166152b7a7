"use client";

import { Flag } from "lucide-react";
import { useState } from "react";

import { ActionMessage } from "@/components/admin/objection-detail/action-message";
import type { TAdminActionFn } from "@/components/admin/objection-detail/objection-detail-actions";
import { useAdminAction } from "@/components/admin/objection-detail/use-admin-action";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogTrigger,
} from "@/components/ui/dialog";

/** Flags abuse without taking anyone out of the export: leaving someone out of training by mistake harms no one. */
export const SpamDialog = ({ objectionId, markSpam }: { objectionId: string; markSpam: TAdminActionFn }) => {
  const [open, setOpen] = useState(false);
  const { pending, result, run, reset } = useAdminAction(
    markSpam,
  );
  return (
    <div>
      <Dialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (next) reset();
        }}
      >
        <DialogTrigger asChild>
          <Button type="button" variant="secondary" size="sm">
            <Flag className="h-4 w-4" aria-hidden />
            Mark as spam
          </Button>
        </DialogTrigger>
        <DialogContent
          title="Mark as spam?"
          description="The objection stays effective and stays in the export. Leaving someone out of AI training by mistake harms no one; training on someone who objected would."
        >
          {result && !result.ok ? <ActionMessage result={result} /> : null}
          <div className="mt-4 flex justify-end gap-2">
            <DialogClose asChild>
              <Button type="button" variant="secondary" size="sm">
                Cancel
              </Button>
            </DialogClose>
            <Button
              type="button"
              size="sm"
              disabled={pending}
              onClick={() => run({ objectionId }, () => setOpen(false))}
            >
              {pending ? "Marking…" : "Mark as spam"}
            </Button>
          </div>
        </DialogContent>
      </Dialog>
      {result?.ok ? <ActionMessage result={result} /> : null}
    </div>
  );
};
