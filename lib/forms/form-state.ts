import type { z } from "zod";

/** What a server action hands back to its form. Errors are message keys (messages/*.json → "errors"). */
export type TFormState = {
  status: "idle" | "invalid" | "invalid_link" | "error" | "sent";
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
};

export const INITIAL_FORM_STATE: TFormState = { status: "idle" };

/** The first error of each field, keyed by field name. */
export const fieldErrorsOf = (error: z.ZodError): Record<string, string> => {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
};

/** A form post's text fields, so the form can be shown again as the person left it. */
export const textValuesOf = (formData: FormData, fields: string[]) =>
  Object.fromEntries(fields.map((field) => [field, String(formData.get(field) ?? "")]));
