import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";

import { LanguageSwitcher } from "@/components/language-switcher";
import { brand } from "@/lib/branding/brand";

type TSiteShellProps = {
  children: ReactNode;
  returnTo?: string;
  /** The page shows an objection that no longer stands (a rejected one): the footer does not promise it took effect. */
  objectionClosed?: boolean;
};

/** Header, main landmark and footer shared by every public page: who asks, and who answers (GDPR Art. 13). */
export const SiteShell = async ({ children, returnTo = "/", objectionClosed = false }: TSiteShellProps) => {
  const t = await getTranslations("common");
  const { name, logoUrl, privacyNoticeUrl, controllerName, controllerAddress, dpo } = brand();
  return (
    <>
      <a href="#main" className="skip-link">
        {t("skipToContent")}
      </a>
      <header className="site-header">
        {/* The shell's links are on every page: prefetched, each page a member opens would have the
            server render three more (each twice), whether or not anyone follows them. */}
        <Link href="/" className="brand" prefetch={false}>
          {/* The name beside it says what the logo would: no second announcement. */}
          {/* eslint-disable-next-line @next/next/no-img-element -- a deploy-time file of any size, served as it is */}
          {logoUrl && <img src={logoUrl} alt="" className="brand-logo" height={32} />}
          <span>{name}</span>
        </Link>
        <LanguageSwitcher returnTo={returnTo} />
      </header>
      <main id="main" className="page" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <p>{objectionClosed ? t("footerNeverUsed") : t("footer")}</p>
        <nav aria-label={t("footerNav")}>
          <ul className="footer-links">
            <li>
              <a href={privacyNoticeUrl}>{t("privacyNotice")}</a>
            </li>
            <li>
              <Link href="/accessibility" prefetch={false}>{t("accessibility")}</Link>
            </li>
            <li>
              <Link href="/transparency" prefetch={false}>{t("transparencyReport")}</Link>
            </li>
          </ul>
        </nav>
        <dl className="footer-contacts">
          <div>
            <dt>{t("controller")}</dt>
            <dd>
              {controllerName}, {controllerAddress}
            </dd>
          </div>
          <div>
            <dt>{t("dpo")}</dt>
            <dd>
              <a href={dpo.href}>{dpo.label}</a>
            </dd>
          </div>
        </dl>
      </footer>
    </>
  );
};
