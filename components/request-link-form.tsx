"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useForm } from "react-hook-form";

import { ErrorSummary } from "@/components/error-summary";
import { FieldError, useErrorMessage } from "@/components/field-error";
import { focusOnArrival } from "@/components/focus-on-arrival";
import { useJsonPost } from "@/components/use-json-post";
import { INITIAL_FORM_STATE, type TFormState } from "@/lib/forms/form-state";
import { type TRequestLinkInput, ZRequestLinkInput } from "@/lib/objections/schema";

/** Where the form posts: a route handler that answers JSON to this component and redirects a browser without JavaScript. */
const REQUEST_URL = "/object/request";
/** The same "check your inbox" page for every address, with or without JavaScript. */
const SENT_URL = "/object/sent";

type TRequestAnswer = { status: "sent" | "invalid" | "limited" | "error"; fieldErrors?: Record<string, string>; message?: string };

type TRequestLinkFormState = TFormState | { status: "limited"; message: string };

/** The error of one submit attempt: what the error summary lists until the next attempt. */
type TSummary = { attempt: number; emailError?: string };

export const RequestLinkForm = ({ initialState = INITIAL_FORM_STATE }: { initialState?: TFormState }) => {
  const t = useTranslations("requestLink");
  const tForm = useTranslations("form");
  const errorMessage = useErrorMessage();
  const router = useRouter();
  const [state, setState] = useState<TRequestLinkFormState>(initialState);
  // Attempt 0 is the page as loaded: after a post without JavaScript, with the server's error.
  const [summary, setSummary] = useState<TSummary>({ attempt: 0, emailError: initialState.fieldErrors?.email });
  const showSummary = (emailError?: string) => setSummary(({ attempt }) => ({ attempt: attempt + 1, emailError }));
  // Focus goes to the error summary, not to the field: the same as without JavaScript.
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<TRequestLinkInput>({ resolver: zodResolver(ZRequestLinkInput), defaultValues: { email: "" }, shouldFocusError: false });

  const emailError = errors.email?.message ?? ("fieldErrors" in state ? state.fieldErrors?.email : undefined);

  // With JavaScript: validate here with the same schema, then post the same field and read JSON.
  // Without it: the browser posts the form and follows the answer.
  const { isPending, post } = useJsonPost<TRequestAnswer>({
    url: REQUEST_URL,
    onAnswer: (answer) => {
      if (answer.status === "sent") {
        // The page changes under the button that had focus: focus goes to the answer's heading.
        focusOnArrival("sent-title");
        return router.push(SENT_URL);
      }
      if (answer.status === "invalid") {
        showSummary(answer.fieldErrors?.email);
        return setState({ status: "invalid", fieldErrors: answer.fieldErrors });
      }
      if (answer.status === "limited" && answer.message) return setState({ status: "limited", message: answer.message });
      setState({ status: "error" });
    },
    onFailure: () => setState({ status: "error" }),
  });
  const onSubmit = handleSubmit(
    (_values, event) => post(event),
    (fieldErrors) => showSummary(fieldErrors.email?.message),
  );

  return (
    <form action={REQUEST_URL} method="post" onSubmit={onSubmit} noValidate className="stack">
      <ErrorSummary
        title={t("errorSummaryTitle")}
        description={tForm("errorSummary", { count: summary.emailError ? 1 : 0 })}
        items={summary.emailError ? [{ fieldId: "request-email", message: errorMessage(summary.emailError) }] : []}
        attempt={summary.attempt}
      />
      {state.status === "error" && (
        <div role="alert" className="alert alert-error">
          {t("retry")}
        </div>
      )}
      {state.status === "limited" && "message" in state && (
        <div role="alert" className="alert alert-error">
          {state.message}
        </div>
      )}
      <div className="field">
        <label htmlFor="request-email">{t("email")}</label>
        {/* Text with the email keyboard, not type="email": Chromium turns a typed müller.de into
            xn--mller-kva.de, which is not the address the account holds. The schema checks it instead. */}
        <input
          id="request-email"
          type="text"
          autoComplete="email"
          inputMode="email"
          autoCapitalize="none"
          spellCheck={false}
          className="input"
          aria-invalid={emailError ? true : undefined}
          aria-describedby={emailError ? "request-email-error" : undefined}
          {...register("email")}
        />
        {/* Not a live region: the error summary announces it, once. */}
        <FieldError id="request-email-error" messageKey={emailError} />
      </div>
      <button type="submit" className="button button-primary" disabled={isPending} aria-disabled={isPending}>
        {isPending ? t("submitting") : t("submit")}
      </button>
    </form>
  );
};
