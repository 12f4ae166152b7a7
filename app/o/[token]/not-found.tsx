import { getTranslations } from "next-intl/server";

import { RequestLinkForm } from "@/components/request-link-form";
import { SiteShell } from "@/components/site-shell";

const InvalidLinkPage = async () => {
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

export default InvalidLinkPage;
