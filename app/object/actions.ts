"use server";

import { fieldErrorsOf, textValuesOf, type TFormState } from "@/lib/forms/form-state";
import { requestPersonalLink } from "@/lib/members/request-personal-link";
import { ZRequestLinkInput } from "@/lib/objections/schema";

export const requestLinkAction = async (_previous: TFormState, formData: FormData): Promise<TFormState> => {
  const parsed = ZRequestLinkInput.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { status: "invalid", fieldErrors: fieldErrorsOf(parsed.error), values: textValuesOf(formData, ["email"]) };

  try {
    await requestPersonalLink(parsed.data.email);
  } catch (error) {
    console.error(`[link-request] failed: ${error instanceof Error ? error.name : "unknown error"}`);
    return { status: "error", values: textValuesOf(formData, ["email"]) };
  }
  // The same answer whether or not an account uses the address.
  return { status: "sent" };
};
