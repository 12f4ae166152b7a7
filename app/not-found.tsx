import Link from "next/link";
import { getTranslations } from "next-intl/server";

import { SiteShell } from "@/components/site-shell";

const NotFoundPage = async () => {
  const t = await getTranslations("errors");
  return (
    <SiteShell>
      <section className="stack" aria-labelledby="not-found-title">
        <h1 id="not-found-title">{t("notFoundTitle")}</h1>
        <p>{t("notFoundBody")}</p>
        <p>
          <Link href="/">{t("home")}</Link>
        </p>
      </section>
    </SiteShell>
  );
};

export default NotFoundPage;
