"use client";

import { useActionState } from "react";

import { Button } from "@/components/ui/button";
import { FieldError, Label, NativeSelect } from "@/components/ui/input";
import { LIFT_REASON_LABELS, LIFT_REASONS, type TLiftSuppression } from "@/lib/suppressions/schema";

type TLiftState = { message?: string };

const REASON_FIELD: keyof TLiftSuppression = "reason";

/**
 * Lifts a member's suppression, with a reason from the fixed list the audit log keeps. The server
 * checks the role and the reason again; its refusal shows under the field. Works without JavaScript.
 */
export const LiftSuppressionForm = ({ memberId, action }: { memberId: string; action: (state: TLiftState, form: FormData) => Promise<TLiftState> }) => {
  const [state, submit, pending] = useActionState<TLiftState, FormData>(action, {});
  return (
    <form action={submit} className="mt-3 flex flex-col gap-2 sm:flex-row sm:items-end" aria-label="Lift this suppression" noValidate>
      <input type="hidden" name="memberId" value={memberId} />
      <div className="min-w-0 flex-1">
        <Label htmlFor="lift-reason">Why lift it</Label>
        <NativeSelect id="lift-reason" name={REASON_FIELD} required defaultValue="" aria-invalid={!!state.message} aria-describedby={state.message ? "lift-reason-error" : undefined}>
          <option value="" disabled>
            Pick a reason
          </option>
          {LIFT_REASONS.map((reason) => (
            <option key={reason} value={reason}>
              {LIFT_REASON_LABELS[reason]}
            </option>
          ))}
        </NativeSelect>
        <FieldError id="lift-reason-error" message={state.message} />
      </div>
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? "Lifting…" : "Lift suppression"}
      </Button>
    </form>
  );
};
