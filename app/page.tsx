import Link from "next/link";
import { getTranslations } from "next-intl/server";

import { SiteShell } from "@/components/site-shell";

const HomePage = async () => {
  const t = await getTranslations("home");
  return (
    <SiteShell>
      <section className="stack" aria-labelledby="home-title">
        <h1 id="home-title">{t("title")}</h1>
        <p className="lead">{t("lead")}</p>
        <p>{t("withLink")}</p>
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
