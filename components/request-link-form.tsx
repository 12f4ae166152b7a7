"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useTranslations } from "next-intl";
import { startTransition, useActionState } from "react";
import { useForm } from "react-hook-form";

import { FieldError } from "@/components/field-error";
import { INITIAL_FORM_STATE, type TFormState } from "@/lib/forms/form-state";
import { type TRequestLinkInput, ZRequestLinkInput } from "@/lib/objections/schema";

type TRequestLinkFormProps = { action: (previous: TFormState, formData: FormData) => Promise<TFormState> };

export const RequestLinkForm = ({ action }: TRequestLinkFormProps) => {
  const t = useTranslations("requestLink");
  const [state, formAction, isPending] = useActionState(action, INITIAL_FORM_STATE);
  const initialEmail = state.values?.email ?? "";
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<TRequestLinkInput>({ resolver: zodResolver(ZRequestLinkInput), defaultValues: { email: initialEmail } });

  const emailError = errors.email?.message ?? state.fieldErrors?.email;

  const onSubmit = handleSubmit((_values, event) => {
    if (!(event?.target instanceof HTMLFormElement)) return;
    const formData = new FormData(event.target);
    startTransition(() => formAction(formData));
  });

  if (state.status === "sent") {
    return (
      <p role="status" className="alert alert-success">
        {t("sent")}
      </p>
    );
  }

  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="stack">
      {state.status === "error" && (
        <div role="alert" className="alert alert-error">
          {t("retry")}
        </div>
      )}
      <div className="field">
        <label htmlFor="request-email">{t("email")}</label>
        <input
          id="request-email"
          type="email"
          autoComplete="email"
          inputMode="email"
          defaultValue={initialEmail}
          className="input"
          aria-invalid={emailError ? true : undefined}
          aria-describedby={emailError ? "request-email-error" : undefined}
          {...register("email")}
        />
        <div aria-live="polite">
          <FieldError id="request-email-error" messageKey={emailError} />
        </div>
      </div>
      <button type="submit" className="button button-primary" disabled={isPending}>
        {isPending ? t("submitting") : t("submit")}
      </button>
    </form>
  );
};
