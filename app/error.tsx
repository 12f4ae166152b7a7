"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";

import { useBrand } from "@/components/brand-context";

// Shown instead of a stack trace if a page fails on our side: who runs the site, what happened, and the ways on.
const ErrorPage = ({ reset }: { error: Error; reset: () => void }) => {
  const t = useTranslations("errors");
  const { name, logoUrl } = useBrand();
  return (
    <>
      <header className="site-header">
        <Link href="/" className="brand">
          {/* eslint-disable-next-line @next/next/no-img-element -- a deploy-time file of any size, served as it is */}
          {logoUrl && <img src={logoUrl} alt="" className="brand-logo" height={32} />}
          <span>{name}</span>
        </Link>
      </header>
      <main id="main" className="page stack">
        <h1>{t("serverTitle")}</h1>
        <p>{t("serverBody")}</p>
        <p className="actions">
          <button type="button" className="button button-primary" onClick={reset}>
            {t("tryAgain")}
          </button>
          <Link href="/" className="button button-secondary">
            {t("home")}
          </Link>
        </p>
      </main>
    </>
  );
};

export default ErrorPage;
