import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";

import { LanguageSwitcher } from "@/components/language-switcher";

/** Header, main landmark and footer shared by every public page. */
export const SiteShell = async ({ children, returnTo = "/" }: { children: ReactNode; returnTo?: string }) => {
  const t = await getTranslations("common");
  return (
    <>
      <a href="#main" className="skip-link">
        {t("skipToContent")}
      </a>
      <header className="site-header">
        <Link href="/" className="brand">
          {t("appName")}
        </Link>
        <LanguageSwitcher returnTo={returnTo} />
      </header>
      <main id="main" className="page">
        {children}
      </main>
      <footer className="site-footer">
        <p>{t("footer")}</p>
      </footer>
    </>
  );
};
