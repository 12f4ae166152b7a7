import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";

import { requestLinkAction } from "@/app/object/actions";
import { RequestLinkForm } from "@/components/request-link-form";
import { SiteShell } from "@/components/site-shell";

export const generateMetadata = async (): Promise<Metadata> => ({ title: (await getTranslations("requestLink"))("title") });

const RequestLinkPage = async () => {
  const t = await getTranslations("requestLink");
  return (
    <SiteShell returnTo="/object">
      <section className="stack" aria-labelledby="request-title">
        <h1 id="request-title">{t("title")}</h1>
        <p>{t("intro")}</p>
        <RequestLinkForm action={requestLinkAction} />
      </section>
    </SiteShell>
  );
};

export default RequestLinkPage;
