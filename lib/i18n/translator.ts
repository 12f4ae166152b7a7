import "server-only";

import { createTranslator } from "next-intl";

import { loadMessages, supportedOrDefault } from "@/lib/i18n/locales";

/** Translations outside a request (emails, jobs). */
export const translatorFor = (requested: string | null | undefined) => {
  const locale = supportedOrDefault(requested);
  return createTranslator({ locale, messages: loadMessages(locale) });
};
