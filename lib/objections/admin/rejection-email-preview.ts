import "server-only";

import { createTranslator } from "next-intl";

import { formatDateTimeFor } from "@/lib/i18n/date-format";
import { languageName } from "@/lib/i18n/language-name";
import { DEFAULT_LOCALE, loadMessages, matchLocale } from "@/lib/i18n/locales";

export type TRejectionEmailPreview = {
  /** The email's language tag, for the preview's `lang`. */
  locale: string;
  /** "German (de)". */
  language: string;
  /** Why that language, in the console's words. */
  languageSource: string;
  subject: string;
  heading: string;
  body: string;
  reasonTitle: string;
  /** The fixed text after the reason. */
  closing: string[];
};

/**
 * The rejection email's fixed text, in the language it will be sent in: the same choice and the
 * same words as sendObjectionRejection (the member's language, else English), so the reviewer who
 * writes the reason sees which language the person reads and what surrounds the reason.
 */
export const rejectionEmailPreview = ({ memberLocale, matched, country, effectiveAt }: { memberLocale: string | null; matched: boolean; country: string; effectiveAt: Date }): TRejectionEmailPreview => {
  const supported = matchLocale(memberLocale);
  const locale = supported ?? DEFAULT_LOCALE;
  const t = createTranslator({ locale, messages: loadMessages(locale), namespace: "emails.rejection" });
  const languageSource = !matched
    ? "The objection is not matched to a member, so the email goes out in English."
    : supported
      ? "The member's language, as the platform gave it."
      : memberLocale
        ? `The member's language (${memberLocale}) has no translation, so the email goes out in English.`
        : "The platform gave no language for this member, so the email goes out in English.";
  return {
    locale,
    language: languageName(locale),
    languageSource,
    subject: t("subject"),
    heading: t("heading"),
    body: t("body", { date: formatDateTimeFor({ locale, country, date: effectiveAt }) }),
    reasonTitle: t("reasonTitle"),
    closing: [t("effect"), t("again")],
  };
};
