"use client";

import { useTranslations } from "next-intl";

// Shown instead of a stack trace if a page fails on our side.
const ErrorPage = ({ reset }: { error: Error; reset: () => void }) => {
  const t = useTranslations("errors");
  return (
    <main id="main" className="page stack">
      <h1>{t("serverTitle")}</h1>
      <p>{t("serverBody")}</p>
      <p>
        <button type="button" className="button button-secondary" onClick={reset}>
          {t("tryAgain")}
        </button>
      </p>
    </main>
  );
};

export default ErrorPage;
