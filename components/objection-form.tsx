"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useState, useSyncExternalStore } from "react";
import { useForm, useWatch } from "react-hook-form";

import { ErrorSummary } from "@/components/error-summary";
import { FieldError, useErrorMessage } from "@/components/field-error";
import { focusOnArrival } from "@/components/focus-on-arrival";
import { useJsonPost } from "@/components/use-json-post";
import { INITIAL_FORM_STATE, type TFormState } from "@/lib/forms/form-state";
import { COUNT_STAND_IN, counterTemplate } from "@/lib/links/light-form-page";
import { REASON_MAX_LENGTH, type TObjectionData, type TObjectionInput, ZObjectionInput } from "@/lib/objections/schema";

/** Where the form posts: a route handler that answers JSON to this component and redirects a browser without JavaScript. */
const SUBMIT_URL = "/o/submit";

type TObjectionFormProps = {
  token: string;
  maskedEmail: string;
  defaultCountry: string;
  countries: { code: string; name: string }[];
  initialState?: TFormState;
};

const subscribeToNothing = () => () => undefined;

/** The fields an error can be about, in the order the form shows them (and the summary lists them). */
const FIELDS = ["country", "reason"] as const;

type TField = (typeof FIELDS)[number];

/** The errors of one submit attempt: what the error summary lists until the next attempt. */
type TSummary = { attempt: number; errors: Partial<Record<TField, string>> };

const summaryErrors = (fieldErrors: Record<string, string | undefined> = {}) =>
  Object.fromEntries(FIELDS.flatMap((field) => (fieldErrors[field] ? [[field, fieldErrors[field]]] : []))) as TSummary["errors"];

type TSubmitAnswer = { status: "stored" | "invalid" | "invalid_link" | "error"; fieldErrors?: Record<string, string> };

export const ObjectionForm = ({ token, maskedEmail, defaultCountry, countries, initialState = INITIAL_FORM_STATE }: TObjectionFormProps) => {
  const t = useTranslations("form");
  const locale = useLocale();
  const errorMessage = useErrorMessage();
  const router = useRouter();
  const [state, setState] = useState<TFormState>(initialState);
  // Attempt 0 is the page as loaded: after a post without JavaScript, with the server's errors.
  const [summary, setSummary] = useState<TSummary>({ attempt: 0, errors: summaryErrors(initialState.fieldErrors) });
  const showSummary = (fieldErrors?: Record<string, string | undefined>) => setSummary(({ attempt }) => ({ attempt: attempt + 1, errors: summaryErrors(fieldErrors) }));
  // Without JavaScript the browser itself keeps the reason within the limit; with it, the counter
  // and the error say so instead, so nothing pasted is cut off silently.
  const hydrated = useSyncExternalStore(subscribeToNothing, () => true, () => false);
  const initialCountry = state.values?.country ?? defaultCountry;
  const initialReason = state.values?.reason ?? "";
  const {
    register,
    handleSubmit,
    control,
    formState: { errors },
  } = useForm<TObjectionInput, unknown, TObjectionData>({
    resolver: zodResolver(ZObjectionInput),
    // Focus goes to the error summary, which lists every error, not to the first field.
    shouldFocusError: false,
    defaultValues: { token, country: initialCountry as TObjectionInput["country"], reason: initialReason },
  });

  const errorKey = (field: "country" | "reason") => errors[field]?.message ?? state.fieldErrors?.[field];
  const countryError = errorKey("country");
  const reasonError = errorKey("reason");
  const summaryItems = FIELDS.flatMap((field) => {
    const messageKey = summary.errors[field];
    return messageKey ? [{ fieldId: field, message: errorMessage(messageKey) }] : [];
  });
  const reasonLength = (useWatch({ control, name: "reason" }) ?? initialReason).length;

  // With JavaScript: validate here with the same schema, then post the same fields and read JSON.
  // Without it: the browser posts the form and follows the redirect.
  const { isPending, post } = useJsonPost<TSubmitAnswer>({
    url: SUBMIT_URL,
    onAnswer: (answer) => {
      if (answer.status === "invalid") {
        showSummary(answer.fieldErrors);
        return setState({ status: "invalid", fieldErrors: answer.fieldErrors });
      }
      if (answer.status === "error") return setState({ status: "error" });
      // Stored, or a link that cannot be used: the page shows the objection or the friendly page.
      // The button that had focus is gone with the form: focus goes to the confirmation's heading.
      if (answer.status === "stored") focusOnArrival("confirmation-title");
      router.refresh();
    },
    onFailure: () => setState({ status: "error" }),
  });
  const onSubmit = handleSubmit(
    (_values, event) => post(event),
    (fieldErrors) => showSummary(Object.fromEntries(Object.entries(fieldErrors).map(([field, error]) => [field, error?.message]))),
  );

  return (
    <form action={SUBMIT_URL} method="post" onSubmit={onSubmit} noValidate className="stack">
      <ErrorSummary title={t("errorSummaryTitle")} description={t("errorSummary", { count: summaryItems.length })} items={summaryItems} attempt={summary.attempt} />
      {state.status === "error" && (
        <div role="alert" className="alert alert-error">
          {t("retry")}
        </div>
      )}
      {/* Explicit values: react-hook-form sets them only once JavaScript runs, and the form must work without it. */}
      <input type="hidden" defaultValue={token} {...register("token")} />
      {/* Without JavaScript, the page after the post speaks the language this form was shown in. */}
      <input type="hidden" name="lang" value={locale} />

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
          {/* Without a country to preselect, the browser would pick the first one silently: ask instead. */}
          {!initialCountry && <option value="">{t("countryPlaceholder")}</option>}
          {countries.map(({ code, name }) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
        <FieldError id="country-error" messageKey={countryError} />
      </div>

      <div className="field">
        {/* The label says it is optional, as the lead says no reason is needed: no hint repeats it,
            so the button stays above the fold on a phone. */}
        <label htmlFor="reason">{t("reason")}</label>
        <textarea
          id="reason"
          rows={4}
          maxLength={hydrated ? undefined : REASON_MAX_LENGTH}
          defaultValue={initialReason}
          className="input"
          aria-invalid={reasonError ? true : undefined}
          aria-describedby={["reason-counter", reasonError ? "reason-error" : ""].filter(Boolean).join(" ")}
          {...register("reason")}
        />
        {/* The server's and the browser's number formats can differ (a browser without the language's
            data writes 2,000 where the server wrote 2.000): the server's stays until the first keystroke,
            rather than a mismatch making React render the whole page again and drop its focus. */}
        <p
          id="reason-counter"
          className={reasonLength > REASON_MAX_LENGTH ? "hint counter counter-over" : "hint counter"}
          data-counter={counterTemplate({ text: t("reasonCounter", { count: COUNT_STAND_IN, max: REASON_MAX_LENGTH }), locale })}
          suppressHydrationWarning
        >
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
