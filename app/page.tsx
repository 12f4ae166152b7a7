import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";

import { SiteShell } from "@/components/site-shell";
import { brand } from "@/lib/branding/brand";

export const generateMetadata = async (): Promise<Metadata> => ({ title: (await getTranslations("home"))("title") });

const HomePage = async () => {
  const t = await getTranslations("home");
  const { name } = brand();
  return (
    <SiteShell>
      <section className="stack" aria-labelledby="home-title">
        <h1 id="home-title">{t("title")}</h1>
        <p className="lead">{t("lead", { brand: name })}</p>
        <p>{t("withLink", { brand: name })}</p>
        <p>
          <Link href="/object" className="button button-primary">
            {t("noLink")}
          </Link>
        </p>
        <p className="hint">{t("neverUsed")}</p>
      </section>
    </SiteShell>
  );
};

export default HomePage;
