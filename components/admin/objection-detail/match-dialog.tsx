"use client";

import { Link2 } from "lucide-react";
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
import { FieldError, Input, Label } from "@/components/ui/input";

/** Links an objection made without an account to a member, by the platform's external id. */
export const MatchDialog = ({ objectionId, match }: { objectionId: string; match: TAdminActionFn }) => {
  const [open, setOpen] = useState(false);
  const [externalId, setExternalId] = useState("");
  const { pending, result, run, fieldError, reset } =
    useAdminAction(match);
  const error =
    fieldError("memberExternalId") ??
    (result && !result.ok ? result.message : undefined);
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
            <Link2 className="h-4 w-4" aria-hidden />
            Match to a member
          </Button>
        </DialogTrigger>
        <DialogContent
          title="Match to a member"
          description="Enter the platform's external id of the member this objection belongs to. The objection keeps the country the person gave."
        >
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              run({ objectionId, memberExternalId: externalId }, () =>
                setOpen(false),
              );
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
            <div className="mt-4 flex justify-end gap-2">
              <DialogClose asChild>
                <Button type="button" variant="secondary" size="sm">
                  Cancel
                </Button>
              </DialogClose>
              <Button type="submit" size="sm" disabled={pending}>
                {pending ? "Matching…" : "Match"}
              </Button>
            </div>
          </form>
        </DialogContent>
      </Dialog>
      {result?.ok ? <ActionMessage result={result} /> : null}
    </div>
  );
};
