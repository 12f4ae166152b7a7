import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";

import { SiteShell } from "@/components/site-shell";

export const generateMetadata = async (): Promise<Metadata> => ({ title: (await getTranslations("requestLink"))("sentTitle"), robots: { index: false } });

/** The one answer to every /object request, whether or not an account uses the address. */
const LinkRequestSentPage = async () => {
  const t = await getTranslations("requestLink");
  return (
    <SiteShell returnTo="/object/sent">
      <section className="stack" aria-labelledby="sent-title">
        <h1 id="sent-title">{t("sentTitle")}</h1>
        <p role="status">{t("sent")}</p>
        <p>
          <Link href="/object">{t("sentAgain")}</Link>
        </p>
      </section>
    </SiteShell>
  );
};

export default LinkRequestSentPage;
