"use client";

import type { LucideIcon } from "lucide-react";
import { type ReactNode, useState } from "react";

import { ActionMessage } from "@/components/admin/objection-detail/action-message";

import type { TAdminActionFn } from "@/components/admin/objection-detail/objection-detail-actions";
import { useAdminAction } from "@/components/admin/objection-detail/use-admin-action";
import { Button, type TButtonProps } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "@/components/ui/dialog";

/**
 * The state of a dialog that runs one server action: opening it clears the last answer, and a
 * successful run closes it (a refusal stays inside, beside the input that caused it).
 */
export const useActionDialog = (action: TAdminActionFn) => {
  const [open, setOpen] = useState(false);
  const admin = useAdminAction(action);
  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (next) admin.reset();
  };
  const runAndClose = (input: unknown) => admin.run(input, () => setOpen(false));
  return { ...admin, open, onOpenChange, runAndClose };
};

export type TActionDialogState = ReturnType<typeof useActionDialog>;

/** A dialog opened by `trigger` (a button) that runs one server action through `state`. */
export const ActionDialog = ({
  state,
  trigger,
  title,
  description,
  width,
  children,
}: {
  state: TActionDialogState;
  trigger: ReactNode;
  title: string;
  description: string;
  width?: "default" | "wide";
  children: ReactNode;
}) => (
  <Dialog open={state.open} onOpenChange={state.onOpenChange}>
    <DialogTrigger asChild>{trigger}</DialogTrigger>
    <DialogContent title={title} description={description} width={width}>
      {children}
    </DialogContent>
  </Dialog>
);

/** The small button that opens an action dialog: its icon, then its label. */
export const ActionDialogTrigger = ({ icon: Icon, variant = "secondary", children, ...props }: { icon: LucideIcon } & Omit<TButtonProps, "type" | "size">) => (
  <Button type="button" variant={variant} size="sm" {...props}>
    <Icon className="h-4 w-4" aria-hidden />
    {children}
  </Button>
);

/** A refusal, shown inside the dialog, which stays open. */
export const ActionDialogRefusal = ({ state }: { state: TActionDialogState }) => (state.result && !state.result.ok ? <ActionMessage result={state.result} /> : null);

/** A success, shown once the dialog has closed. */
export const ActionDialogSuccess = ({ state }: { state: TActionDialogState }) => (state.result?.ok ? <ActionMessage result={state.result} /> : null);

/** The dialog's buttons: a way out that changes nothing, then the action's own button. */
export const ActionDialogButtons = ({ cancelLabel = "Cancel", children }: { cancelLabel?: string; children: ReactNode }) => (
  <div className="mt-4 flex justify-end gap-2">
    <DialogClose asChild>
      <Button type="button" variant="secondary" size="sm">
        {cancelLabel}
      </Button>
    </DialogClose>
    {children}
  </div>
);
