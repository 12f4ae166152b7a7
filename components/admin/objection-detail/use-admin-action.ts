"use client";

import { useState, useTransition } from "react";

import type { TActionResult } from "@/lib/auth/admin-action";

/** Runs a console server action from a client component, keeping its pending state and its last answer. */
export const useAdminAction = <TInput, TData = undefined>(
  action: (input: TInput) => Promise<TActionResult<TData>>,
) => {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<TActionResult<TData> | null>(null);
  const run = (
    input: TInput,
    onSuccess?: (result: Extract<TActionResult<TData>, { ok: true }>) => void,
  ) =>
    startTransition(async () => {
      const answer = await action(input);
      setResult(answer);
      if (answer.ok) onSuccess?.(answer);
    });
  const fieldError = (field: string) =>
    result && !result.ok ? result.fieldErrors?.[field]?.[0] : undefined;
  /** The field's own error, else the refusal's message: what to show beside the one input of a form. */
  const errorFor = (field: string) => fieldError(field) ?? (result && !result.ok ? result.message : undefined);
  return { pending, result, run, fieldError, errorFor, reset: () => setResult(null) };
};
