import "server-only";

import { match } from "@formatjs/intl-localematcher";
import Negotiator from "negotiator";

import { DEFAULT_LOCALE, isSupportedLocale, supportedLocales } from "@/lib/i18n/locales";

export const LOCALE_COOKIE = "locale";

const isValidLanguageTag = (tag: string) => {
  try {
    return tag !== "*" && Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
};

/** The visitor's chosen language (cookie), else the browser's preference, else English. */
export const resolveLocale = ({ cookieLocale, acceptLanguage }: { cookieLocale?: string; acceptLanguage?: string | null }) => {
  if (isSupportedLocale(cookieLocale)) return cookieLocale;
  // A malformed tag in Accept-Language is not the visitor's fault: skip it, keep the rest.
  const requested = new Negotiator({ headers: { "accept-language": acceptLanguage ?? "" } }).languages().filter(isValidLanguageTag);
  return match(requested, supportedLocales(), DEFAULT_LOCALE);
};
