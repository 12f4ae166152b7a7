import { z } from "zod";

import type { TFormState } from "@/lib/forms/form-state";

// `error=<field>:<message key>`, repeated; the keys are messages/*.json → "errors".
const ZFieldError = z.string().regex(/^[a-z]{1,20}:[a-z_]{1,40}$/);

/** The state a form post without JavaScript left in the query when it failed validation. */
export const formStateFromQuery = (query: Record<string, string | string[] | undefined>): TFormState | undefined => {
  const errors = [query.error ?? []].flat().filter((value) => ZFieldError.safeParse(value).success);
  if (errors.length === 0) return undefined;
  const fieldErrors = Object.fromEntries(errors.map((value) => value.split(":") as [string, string]));
  const country = typeof query.country === "string" && /^[A-Z]{2}$/.test(query.country) ? query.country : undefined;
  return { status: "invalid", fieldErrors, values: country ? { country } : undefined };
};
