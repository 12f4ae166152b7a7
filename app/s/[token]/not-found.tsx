import { getTranslations } from "next-intl/server";

import { SiteShell } from "@/components/site-shell";

// A plain link to /object rather than the request form: this page is served with
// `Referrer-Policy: no-referrer`, under which browsers post forms with `Origin: null`, and a server
// action refuses that.
const InvalidStatusLinkPage = async () => {
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

export default InvalidStatusLinkPage;
