import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";

import { DatedText } from "@/components/dated-text";
import { countryName } from "@/lib/members/country-name";
import type { TExportProgress, TObjectionStatusView } from "@/lib/objections/objection-status";

/** "2 December 2026": an export is nightly, so its day is what a person needs. */
const EXPORT_DATE_FORMAT = { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" } as const satisfies Intl.DateTimeFormatOptions;

/** The path of the confirmation step: a plain link, so it works without JavaScript. */
export const withdrawStepPath = (token: string) => `/s/${token}?step=withdraw`;

/** The signed receipt's download (app/s/[token]/receipt). */
export const receiptPath = (token: string) => `/s/${token}/receipt`;

const ExportProgress = async ({ progress }: { progress: TExportProgress }) => {
  const t = await getTranslations("statusPage");
  const format = await getFormatter();
  if (progress.state === "pending") return t("pipelinePending");
  const date = format.dateTime(progress.cutoff, EXPORT_DATE_FORMAT);
  return progress.state === "acknowledged" ? t("pipelineAcknowledged", { date }) : t("pipelineExported", { date });
};

/** The status of one objection, as its status link shows it: never the reason, the address masked. */
export const ObjectionStatus = async ({ view, token }: { view: TObjectionStatusView; token: string }) => {
  const t = await getTranslations("statusPage");
  const locale = await getLocale();
  const dated = { locale, country: view.country };
  const title = { effective: t("titleEffective"), withdrawn: t("titleWithdrawn"), rejected: t("titleRejected") }[view.status];
  const lead = {
    effective: <DatedText text={(date) => t("effectiveSince", { date })} date={view.effectiveAt} {...dated} />,
    withdrawn: <DatedText text={(date) => t("withdrawnOn", { date })} date={view.withdrawnAt ?? view.effectiveAt} {...dated} />,
    rejected: <DatedText text={(date) => t("rejectedOn", { date })} date={view.rejectedAt ?? view.effectiveAt} {...dated} />,
  }[view.status];
  const statusText = { effective: t("statusEffective"), withdrawn: t("statusWithdrawn"), rejected: t("statusRejected") }[view.status];

  return (
    <section aria-labelledby="status-title" className="stack">
      {view.status === "effective" && (
        <div className="success-mark" aria-hidden="true">
          ✓
        </div>
      )}
      <h1 id="status-title">{title}</h1>
      <p className="lead">{lead}</p>
      {view.status === "withdrawn" && (
        <>
          <p>{t("withdrawnWhat")}</p>
          <p data-testid="withdrawal-email-note">{view.withdrawalEmailSent ? t("withdrawnEmailSent") : t("withdrawnEmail")}</p>
        </>
      )}
      {view.status === "rejected" && <p>{t("rejectedWhat")}</p>}

      <h2>{t("details")}</h2>
      <dl className="details">
        <dt>{t("status")}</dt>
        <dd data-testid="objection-status">{statusText}</dd>
        <dt>{t("reference")}</dt>
        <dd>{view.reference}</dd>
        <dt>{t("email")}</dt>
        <dd>{view.maskedEmail}</dd>
        <dt>{t("country")}</dt>
        <dd>{countryName({ country: view.country, locale })}</dd>
        {/* "Effective since" only while it is: a withdrawn or rejected objection no longer is. */}
        <dt>{view.status === "effective" ? t("effectiveAt") : t("objectedOn")}</dt>
        <dd>
          <DatedText text={(date) => date} date={view.effectiveAt} {...dated} />
        </dd>
        {view.exportProgress && (
          <>
            <dt>{t("pipelineTitle")}</dt>
            <dd data-testid="export-progress">
              <ExportProgress progress={view.exportProgress} />
            </dd>
          </>
        )}
      </dl>

      {view.receiptAvailable && (
        <section aria-labelledby="receipt-title" className="stack">
          <h2 id="receipt-title">{t("receiptTitle")}</h2>
          <p>{view.status === "withdrawn" ? t("receiptWithdrawn") : t("receiptEffective")}</p>
          <p>
            {/* A plain link to a file: no prefetch, and the browser saves it (Content-Disposition). */}
            <a href={receiptPath(token)} className="button button-secondary" download="objection-receipt.jwt" data-testid="receipt-download">
              {t("receiptDownload")}
            </a>
          </p>
        </section>
      )}

      {view.canWithdraw ? (
        <section aria-labelledby="withdraw-title" className="stack">
          <h2 id="withdraw-title">{t("withdrawTitle")}</h2>
          <p>{t("withdrawIntro")}</p>
          <p>
            <Link href={withdrawStepPath(token)} className="button button-secondary" prefetch={false}>
              {t("withdrawButton")}
            </Link>
          </p>
        </section>
      ) : (
        <section aria-labelledby="again-title" className="stack">
          <h2 id="again-title">{t("objectAgainIntro")}</h2>
          <p>
            <a href={view.objectAgainPath} className="button button-secondary">
              {t("objectAgainButton")}
            </a>
          </p>
        </section>
      )}
    </section>
  );
};

/**
 * The confirmation step: what withdrawing means, in plain words, then a plain form post (no
 * JavaScript needed) to /s/withdraw with the status token, which the server verifies again.
 */
export const WithdrawConfirmation = async ({ token, retry }: { token: string; retry: boolean }) => {
  const t = await getTranslations("statusPage");
  const locale = await getLocale();
  return (
    <section aria-labelledby="confirm-title" className="stack">
      <h1 id="confirm-title">{t("confirmTitle")}</h1>
      {retry && (
        <div role="alert" className="alert alert-error">
          {t("confirmRetry")}
        </div>
      )}
      <p className="lead">{t("confirmWhat")}</p>
      <p>{t("confirmNever")}</p>
      <p>{t("confirmAgain")}</p>
      <form action="/s/withdraw" method="post" className="actions">
        <input type="hidden" name="token" value={token} />
        {/* The status page after the post speaks the language this step was shown in. */}
        <input type="hidden" name="lang" value={locale} />
        <button type="submit" className="button button-danger">
          {t("confirmButton")}
        </button>
        <Link href={`/s/${token}`} className="button button-secondary" prefetch={false}>
          {t("keepButton")}
        </Link>
      </form>
    </section>
  );
};
