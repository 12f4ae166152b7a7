import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";

import { submitObjectionAction } from "@/app/o/[token]/actions";
import { ObjectionConfirmation } from "@/components/objection-confirmation";
import { ObjectionForm } from "@/components/objection-form";
import { SiteShell } from "@/components/site-shell";
import { resolvePersonalLink } from "@/lib/links/resolve-personal-link";
import { countryName } from "@/lib/members/country-name";
import { EEA_COUNTRIES, isEeaCountry } from "@/lib/members/eea-countries";
import { maskEmail } from "@/lib/members/mask-email";
import { recordClick } from "@/lib/notifications/record-click";
import { findLiveObjection } from "@/lib/objections/find-live-objection";

export const generateMetadata = async (): Promise<Metadata> => ({
  title: (await getTranslations("form"))("title"),
  robots: { index: false, follow: false },
});

const PersonalLinkPage = async ({ params }: PageProps<"/o/[token]">) => {
  const { token } = await params;
  const resolved = await resolvePersonalLink(token);
  // Tampered, truncated, expired or unknown: the friendly 404 page in this folder.
  if (!resolved.ok) notFound();

  const { member, notificationId } = resolved.link;
  if (notificationId) await recordClick(notificationId);

  const objection = await findLiveObjection(member.id);
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
  const countries = EEA_COUNTRIES.map((code) => ({ code, name: countryName({ country: code, locale }) })).sort((a, b) => a.name.localeCompare(b.name, locale));
  return (
    <SiteShell returnTo={returnTo}>
      <section className="stack" aria-labelledby="form-title">
        <h1 id="form-title">{t("title")}</h1>
        <p className="lead">{t("intro")}</p>
        <ObjectionForm
          action={submitObjectionAction}
          token={token}
          maskedEmail={maskEmail(member.email)}
          defaultCountry={isEeaCountry(member.country) ? member.country : ""}
          countries={countries}
        />
      </section>
    </SiteShell>
  );
};

export default PersonalLinkPage;
