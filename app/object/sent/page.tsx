import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";

import { FocusOnArrival } from "@/components/focus-on-arrival";
import { SiteShell } from "@/components/site-shell";

export const generateMetadata = async (): Promise<Metadata> => ({ title: (await getTranslations("requestLink"))("sentTitle"), robots: { index: false } });

/** The one answer to every /object request, whether or not an account uses the address. */
const LinkRequestSentPage = async () => {
  const t = await getTranslations("requestLink");
  return (
    <SiteShell returnTo="/object/sent">
      <section className="stack" aria-labelledby="sent-title">
        {/* tabIndex -1: focus lands here when the form on /object navigates here with JavaScript. */}
        <h1 id="sent-title" tabIndex={-1}>
          {t("sentTitle")}
        </h1>
        <FocusOnArrival id="sent-title" />
        <p role="status">{t("sent")}</p>
        <p>
          <Link href="/object">{t("sentAgain")}</Link>
        </p>
      </section>
    </SiteShell>
  );
};

export default LinkRequestSentPage;
