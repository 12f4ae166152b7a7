import type { Metadata } from "next";
import { headers } from "next/headers";
import { cache } from "react";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";

import { ObjectionConfirmation } from "@/components/objection-confirmation";
import { ObjectionForm } from "@/components/objection-form";
import { SiteShell } from "@/components/site-shell";
import { LINK_HOLDER } from "@/lib/auth/actor";
import { brand } from "@/lib/branding/brand";
import { env } from "@/lib/env";
import type { TFormState } from "@/lib/forms/form-state";
import { formStateFromQuery } from "@/lib/forms/form-state-from-query";
import { TEMPLATE_EMAIL, TEMPLATE_HEADER, TEMPLATE_TOKEN, verifyTemplateRequest } from "@/lib/links/link-page-template";
import { openPersonalLink } from "@/lib/links/open-personal-link";
import { STORED_PARAM } from "@/lib/objections/objection-form-response";
import { eeaCountryOptions } from "@/lib/members/country-options";
import { isEeaCountry } from "@/lib/members/eea-countries";
import { maskEmail } from "@/lib/members/mask-email";
import { trainingStartIn } from "@/lib/objections/training-start";

// The title and the page ask once between them: one round trip, one click recorded. Cached by the
// token alone (a cache keys on its arguments, and a new object each call would miss).
const openLink = cache((token: string) => openPersonalLink({ actor: LINK_HOLDER, token }));

/** The title says where the visitor is: the form, or the confirmation once they have objected. */
export const generateMetadata = async ({ params }: PageProps<"/o/[token]">): Promise<Metadata> => {
  const { token } = await params;
  const opened = token === TEMPLATE_TOKEN ? null : await openLink(token);
  const title = opened?.ok && opened.link.objection ? (await getTranslations("confirmation"))("title") : (await getTranslations("form"))("title");
  return { title, robots: { index: false, follow: false } };
};

const PersonalLinkPage = async ({ params, searchParams }: PageProps<"/o/[token]">) => {
  const { token } = await params;
  // The cached page that proxy.ts fills in for each member (lib/links/link-page-template.ts).
  const template = token === TEMPLATE_TOKEN ? verifyTemplateRequest((await headers()).get(TEMPLATE_HEADER)) : null;
  if (template) return <FormPage token={token} maskedEmail={TEMPLATE_EMAIL} defaultCountry={template.country} />;

  // One round trip: whom the link is for, the click recorded, and any live objection.
  const opened = await openLink(token);
  // Tampered, truncated, expired or unknown: the friendly 404 page in this folder.
  if (!opened.ok) notFound();

  const { member, objection } = opened.link;
  if (objection) {
    return (
      <SiteShell returnTo={`/o/${token}`}>
        <ObjectionConfirmation objection={objection} justStored={(await searchParams)[STORED_PARAM] === "1"} />
      </SiteShell>
    );
  }
  // A post without JavaScript that failed validation comes back with its errors in the query.
  const initialState = formStateFromQuery(await searchParams);
  return <FormPage token={token} maskedEmail={maskEmail(member.email)} defaultCountry={isEeaCountry(member.country) ? member.country : ""} initialState={initialState} />;
};

const FormPage = async ({ token, maskedEmail, defaultCountry, initialState }: { token: string; maskedEmail: string; defaultCountry: string; initialState?: TFormState }) => {
  const t = await getTranslations("form");
  const locale = await getLocale();
  const training = trainingStartIn({ day: env().TRAINING_STARTS_AT, locale });
  return (
    <SiteShell returnTo={`/o/${token}`}>
      {/* objection-page: tighter on a phone, so the button shows without scrolling (390 × 844). */}
      <section className="stack objection-page" aria-labelledby="form-title">
        <h1 id="form-title">{t("title")}</h1>
        <p className="lead">{t("intro", { brand: brand().name })}</p>
        <ObjectionForm token={token} maskedEmail={maskedEmail} defaultCountry={defaultCountry} countries={eeaCountryOptions(locale)} initialState={initialState} />
        {/* Below the button: it informs, and objecting is right either way. */}
        {training && (
          <p data-testid="training-start" className="hint">
            {t("trainingStarts", { date: training.date })}
          </p>
        )}
      </section>
    </SiteShell>
  );
};

export default PersonalLinkPage;
