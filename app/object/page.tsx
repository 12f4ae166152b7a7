import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";

import { RequestLinkForm } from "@/components/request-link-form";
import { SiteShell } from "@/components/site-shell";
import { formStateFromQuery } from "@/lib/forms/form-state-from-query";

export const generateMetadata = async (): Promise<Metadata> => ({ title: (await getTranslations("requestLink"))("title") });

const RequestLinkPage = async ({ searchParams }: PageProps<"/object">) => {
  const t = await getTranslations("requestLink");
  // A post without JavaScript that failed validation comes back with its errors in the query.
  const initialState = formStateFromQuery(await searchParams);
  return (
    <SiteShell returnTo="/object">
      <section className="stack" aria-labelledby="request-title">
        <h1 id="request-title">{t("title")}</h1>
        <p>{t("intro")}</p>
        <RequestLinkForm initialState={initialState} />
      </section>
    </SiteShell>
  );
};

export default RequestLinkPage;
