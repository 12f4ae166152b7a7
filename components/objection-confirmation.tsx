import { getLocale, getTranslations } from "next-intl/server";

import { DatedText } from "@/components/dated-text";
import { FocusOnArrival } from "@/components/focus-on-arrival";
import type { Objection } from "@/lib/generated/prisma/client";
import { brand } from "@/lib/branding/brand";
import { env } from "@/lib/env";
import { firstExportRun } from "@/lib/exports/first-export-run";
import { countryName } from "@/lib/members/country-name";
import { objectionReference } from "@/lib/objections/objection-reference";
import { receiptSent } from "@/lib/objections/receipt-sent";
import { trainingCase, trainingStartIn } from "@/lib/objections/training-start";

type TObjectionConfirmationProps = {
  objection: Pick<Objection, "id" | "country" | "reason" | "effectiveAt">;
  /** The page is the answer to the form's post (lib/objections/objection-form-response.ts): the heading takes the load's focus. */
  justStored?: boolean;
};

export const ObjectionConfirmation = async ({ objection, justStored = false }: TObjectionConfirmationProps) => {
  const t = await getTranslations("confirmation");
  const locale = await getLocale();
  const dated = { locale, country: objection.country };
  const [run, sent] = await Promise.all([firstExportRun(objection), receiptSent(objection.id)]);
  const training = trainingStartIn({ day: env().TRAINING_STARTS_AT, locale });
  return (
    <section aria-labelledby="confirmation-title" className="stack">
      <div className="success-mark" aria-hidden="true">
        ✓
      </div>
      {/* tabIndex -1: focus lands here after the form is submitted, not in Tab order. A post
          without React arrives here as a new page, whose load autoFocus moves here; the form's
          fetch (on a page Next rendered) asks FocusOnArrival instead. */}
      <h1 id="confirmation-title" tabIndex={-1} autoFocus={justStored}>
        {t("title")}
      </h1>
      <FocusOnArrival id="confirmation-title" />
      <p className="lead">
        <DatedText text={(date) => t("since", { date })} date={objection.effectiveAt} {...dated} />
      </p>
      {/* Before or after by the objection's stored time: the page says the same whenever it is opened. */}
      {training && (
        <p data-testid="training-case">
          {trainingCase({ effectiveAt: objection.effectiveAt, day: training.day }) === "before" ? t("trainingBefore", { date: training.date }) : t("trainingAfter", { date: training.date })}
        </p>
      )}
      <p>{t("what")}</p>
      <p>{t("never")}</p>
      {/* Opened again days later, the page no longer says the receipt is on its way. */}
      <p data-testid="receipt-note">{sent ? t("receiptSent") : t("receipt")}</p>
      <h2>{t("nextTitle")}</h2>
      <p>{t("next")}</p>
      <h2>{t("notTitle")}</h2>
      <ul className="plain-list">
        <li>{t("notDelete", { brand: brand().name })}</li>
        <li>{t("notPast")}</li>
      </ul>
      <h2>{t("details")}</h2>
      <dl className="details">
        <dt>{t("status")}</dt>
        <dd>{t("statusEffective")}</dd>
        <dt>{t("reference")}</dt>
        <dd>{objectionReference(objection.id)}</dd>
        <dt>{t("country")}</dt>
        <dd>{countryName({ country: objection.country, locale })}</dd>
        <dt>{t("reason")}</dt>
        {/* React escapes text: the reason is shown exactly as written, never as markup. */}
        <dd className="reason">{objection.reason ?? t("noReason")}</dd>
        <dt>{t("pipelineTitle")}</dt>
        <dd>
          {!run && t("pipelinePending")}
          {run && !run.acknowledgedAt && <DatedText text={(date) => t("pipelineIncluded", { date })} date={run.cutoff} {...dated} />}
          {run?.acknowledgedAt && <DatedText text={(date) => t("pipelineApplied", { date })} date={run.acknowledgedAt} {...dated} />}
        </dd>
      </dl>
    </section>
  );
};
