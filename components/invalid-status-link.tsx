import { getTranslations } from "next-intl/server";

import { SiteShell } from "@/components/site-shell";

/**
 * A status link that cannot be used: the objection itself is untouched, and a fresh personal link
 * (from /object) shows it again.
 */
export const InvalidStatusLink = async () => {
  const t = await getTranslations("invalidLink");
  const status = await getTranslations("statusPage");
  return (
    <SiteShell returnTo="/object">
      <section className="stack" aria-labelledby="invalid-title">
        <h1 id="invalid-title">{t("title")}</h1>
        <p>{status("invalidBody")}</p>
        <p>
          <a href="/object" className="button button-secondary">
            {status("invalidButton")}
          </a>
        </p>
      </section>
    </SiteShell>
  );
};
