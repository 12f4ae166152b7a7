import { getTranslations } from "next-intl/server";

import { RequestLinkForm } from "@/components/request-link-form";
import { SiteShell } from "@/components/site-shell";

/** A personal link that cannot be used: nothing is lost, and a fresh one is one form away. */
export const InvalidLink = async () => {
  const t = await getTranslations("invalidLink");
  return (
    <SiteShell returnTo="/object">
      <section className="stack" aria-labelledby="invalid-title">
        <h1 id="invalid-title">{t("title")}</h1>
        <p>{t("body")}</p>
        <RequestLinkForm />
      </section>
    </SiteShell>
  );
};
