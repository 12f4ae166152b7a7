"use client";

import { useTranslations } from "next-intl";

import type { TMessages } from "@/lib/i18n/messages-type";
import { REASON_MAX_LENGTH } from "@/lib/objections/schema";

type TErrorKey = keyof TMessages["errors"];

/** Turns an error's message key into its text; the field's inline error and the error summary say the same. */
export const useErrorMessage = () => {
  const t = useTranslations("errors");
  // Keys come from the zod schemas; an unknown one is shown as it is rather than hidden.
  return (messageKey: string) => (t.has(messageKey as TErrorKey) ? t(messageKey as TErrorKey, { max: REASON_MAX_LENGTH }) : messageKey);
};

/** A field's error, translated from its message key; linked to the field with aria-describedby. */
export const FieldError = ({ id, messageKey }: { id: string; messageKey?: string }) => {
  const errorMessage = useErrorMessage();
  if (!messageKey) return null;
  return (
    <p id={id} className="field-error">
      {errorMessage(messageKey)}
    </p>
  );
};
