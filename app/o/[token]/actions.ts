"use server";

import { redirect } from "next/navigation";

import { fieldErrorsOf, textValuesOf, type TFormState } from "@/lib/forms/form-state";
import { resolvePersonalLink } from "@/lib/links/resolve-personal-link";
import { ZObjectionInput } from "@/lib/objections/schema";
import { submitObjection } from "@/lib/objections/submit-objection";

export const submitObjectionAction = async (_previous: TFormState, formData: FormData): Promise<TFormState> => {
  const parsed = ZObjectionInput.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { status: "invalid", fieldErrors: fieldErrorsOf(parsed.error), values: textValuesOf(formData, ["country", "reason"]) };

  const { token, country, reason } = parsed.data;
  const resolved = await resolvePersonalLink(token);
  if (!resolved.ok) return { status: "invalid_link" };

  const { member, notificationId, source } = resolved.link;
  try {
    await submitObjection({ member, notificationId, country, reason, source });
  } catch (error) {
    // The transaction rolled back: nothing half-stored. Log the kind of fault, never the person.
    console.error(`[objection] submit failed for member ${member.id}: ${error instanceof Error ? error.name : "unknown error"}`);
    return { status: "error", values: textValuesOf(formData, ["country", "reason"]) };
  }
  redirect(`/o/${token}`);
};
