"use client";

import { useState } from "react";

import { ActionMessage } from "@/components/admin/objection-detail/action-message";
import type { TAdminActionFn } from "@/components/admin/objection-detail/objection-detail-actions";
import { useAdminAction } from "@/components/admin/objection-detail/use-admin-action";
import { Button } from "@/components/ui/button";
import { FieldError, Label, Textarea } from "@/components/ui/input";
import { OBJECTION_TEXT_MAX } from "@/lib/objections/admin/schema";

/** A note on the timeline, for the next reviewer. */
export const NoteForm = ({ objectionId, addNote }: { objectionId: string; addNote: TAdminActionFn }) => {
  const [note, setNote] = useState("");
  const { pending, result, run, fieldError } = useAdminAction(
    addNote,
  );
  const error = fieldError("note");
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        run({ objectionId, note }, () => setNote(""));
      }}
    >
      <Label htmlFor="objection-note">Note</Label>
      <Textarea
        id="objection-note"
        name="note"
        value={note}
        maxLength={OBJECTION_TEXT_MAX}
        onChange={(event) => setNote(event.target.value)}
        aria-invalid={!!error}
        aria-describedby={
          error
            ? "objection-note-error objection-note-hint"
            : "objection-note-hint"
        }
      />
      <p id="objection-note-hint" className="mt-1 text-sm text-slate-600">
        Visible to every admin on this page; at most {OBJECTION_TEXT_MAX}{" "}
        characters.
      </p>
      <FieldError id="objection-note-error" message={error} />
      <Button type="submit" size="sm" className="mt-3" disabled={pending}>
        {pending ? "Adding…" : "Add note"}
      </Button>
      {!error ? <ActionMessage result={result} /> : null}
    </form>
  );
};
