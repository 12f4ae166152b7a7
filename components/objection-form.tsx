"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useTranslations } from "next-intl";
import { startTransition, useActionState } from "react";
import { useForm, useWatch } from "react-hook-form";

import { FieldError } from "@/components/field-error";
import { INITIAL_FORM_STATE, type TFormState } from "@/lib/forms/form-state";
import { REASON_MAX_LENGTH, type TObjectionData, type TObjectionInput, ZObjectionInput } from "@/lib/objections/schema";

type TObjectionFormProps = {
  action: (previous: TFormState, formData: FormData) => Promise<TFormState>;
  token: string;
  maskedEmail: string;
  defaultCountry: string;
  countries: { code: string; name: string }[];
};

export const ObjectionForm = ({ action, token, maskedEmail, defaultCountry, countries }: TObjectionFormProps) => {
  const t = useTranslations("form");
  const [state, formAction, isPending] = useActionState(action, INITIAL_FORM_STATE);
  const initialCountry = state.values?.country ?? defaultCountry;
  const initialReason = state.values?.reason ?? "";
  const {
    register,
    handleSubmit,
    control,
    formState: { errors },
  } = useForm<TObjectionInput, unknown, TObjectionData>({
    resolver: zodResolver(ZObjectionInput),
    defaultValues: { token, country: initialCountry as TObjectionInput["country"], reason: initialReason },
  });

  const errorKey = (field: "country" | "reason") => errors[field]?.message ?? state.fieldErrors?.[field];
  const countryError = errorKey("country");
  const reasonError = errorKey("reason");
  const errorCount = [countryError, reasonError].filter(Boolean).length;
  const reasonLength = (useWatch({ control, name: "reason" }) ?? initialReason).length;

  // With JavaScript: validate here, then hand the same FormData to the server action.
  // Without it: the browser posts the form to the same action.
  const onSubmit = handleSubmit((_values, event) => {
    if (!(event?.target instanceof HTMLFormElement)) return;
    const formData = new FormData(event.target);
    startTransition(() => formAction(formData));
  });

  return (
    <form action={formAction} onSubmit={onSubmit} noValidate className="stack">
      {errorCount > 0 && (
        <div role="alert" className="alert alert-error">
          {t("errorSummary", { count: errorCount })}
        </div>
      )}
      {state.status === "error" && (
        <div role="alert" className="alert alert-error">
          {t("retry")}
        </div>
      )}
      {/* Explicit values: react-hook-form sets them only once JavaScript runs, and the form must work without it. */}
      <input type="hidden" defaultValue={token} {...register("token")} />

      <div className="field">
        <label htmlFor="email">{t("email")}</label>
        <input id="email" type="text" value={maskedEmail} readOnly aria-describedby="email-hint" className="input input-readonly" />
        <p id="email-hint" className="hint">
          {t("emailHint")}
        </p>
      </div>

      <div className="field">
        <label htmlFor="country">{t("country")}</label>
        <select
          id="country"
          className="input"
          autoComplete="country"
          defaultValue={initialCountry}
          aria-invalid={countryError ? true : undefined}
          aria-describedby={countryError ? "country-error" : undefined}
          {...register("country")}
        >
          {countries.map(({ code, name }) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
        <FieldError id="country-error" messageKey={countryError} />
      </div>

      <div className="field">
        <label htmlFor="reason">{t("reason")}</label>
        <p id="reason-hint" className="hint">
          {t("reasonHint")}
        </p>
        <textarea
          id="reason"
          rows={4}
          defaultValue={initialReason}
          className="input"
          aria-invalid={reasonError ? true : undefined}
          aria-describedby={["reason-hint", "reason-counter", reasonError ? "reason-error" : ""].filter(Boolean).join(" ")}
          {...register("reason")}
        />
        <p id="reason-counter" className={reasonLength > REASON_MAX_LENGTH ? "hint counter counter-over" : "hint counter"}>
          {t("reasonCounter", { count: reasonLength, max: REASON_MAX_LENGTH })}
        </p>
        <FieldError id="reason-error" messageKey={reasonError} />
      </div>

      <button type="submit" className="button button-primary" disabled={isPending} aria-disabled={isPending}>
        {isPending ? t("submitting") : t("submit")}
      </button>
    </form>
  );
};
