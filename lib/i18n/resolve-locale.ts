import "server-only";

import { match } from "@formatjs/intl-localematcher";
import Negotiator from "negotiator";

import { DEFAULT_LOCALE, isSupportedLocale, supportedLocales } from "@/lib/i18n/locales";

export const LOCALE_COOKIE = "locale";

/** The visitor's chosen language (cookie), else the browser's preference, else English. */
export const resolveLocale = ({ cookieLocale, acceptLanguage }: { cookieLocale?: string; acceptLanguage?: string | null }) => {
  if (isSupportedLocale(cookieLocale)) return cookieLocale;
  const requested = new Negotiator({ headers: { "accept-language": acceptLanguage ?? "" } }).languages();
  try {
    return match(requested, supportedLocales(), DEFAULT_LOCALE);
  } catch {
    // A malformed Accept-Language header is not the visitor's fault.
    return DEFAULT_LOCALE;
  }
};
