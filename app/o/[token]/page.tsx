import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";

import { ObjectionConfirmation } from "@/components/objection-confirmation";
import { ObjectionForm } from "@/components/objection-form";
import { SiteShell } from "@/components/site-shell";
import { formStateFromQuery } from "@/lib/forms/form-state-from-query";
import { openPersonalLink } from "@/lib/links/open-personal-link";
import { eeaCountryOptions } from "@/lib/members/country-options";
import { isEeaCountry } from "@/lib/members/eea-countries";
import { maskEmail } from "@/lib/members/mask-email";

export const generateMetadata = async (): Promise<Metadata> => ({
  title: (await getTranslations("form"))("title"),
  robots: { index: false, follow: false },
});

const PersonalLinkPage = async ({ params, searchParams }: PageProps<"/o/[token]">) => {
  const { token } = await params;
  // One round trip: whom the link is for, the click recorded, and any live objection.
  const opened = await openPersonalLink(token);
  // Tampered, truncated, expired or unknown: the friendly 404 page in this folder.
  if (!opened.ok) notFound();

  const { member, objection } = opened.link;
  const returnTo = `/o/${token}`;
  if (objection) {
    return (
      <SiteShell returnTo={returnTo}>
        <ObjectionConfirmation objection={objection} />
      </SiteShell>
    );
  }

  const t = await getTranslations("form");
  const locale = await getLocale();
  // A post without JavaScript that failed validation comes back with its errors in the query.
  const initialState = formStateFromQuery(await searchParams);
  return (
    <SiteShell returnTo={returnTo}>
      <section className="stack" aria-labelledby="form-title">
        <h1 id="form-title">{t("title")}</h1>
        <p className="lead">{t("intro")}</p>
        <ObjectionForm
          token={token}
          maskedEmail={maskEmail(member.email)}
          defaultCountry={isEeaCountry(member.country) ? member.country : ""}
          countries={eeaCountryOptions(locale)}
          initialState={initialState}
        />
      </section>
    </SiteShell>
  );
};

export default PersonalLinkPage;
