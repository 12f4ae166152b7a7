import "server-only";

import { match } from "@formatjs/intl-localematcher";
import Negotiator from "negotiator";

import { DEFAULT_LOCALE, isSupportedLocale, matchLocale, supportedLocales } from "@/lib/i18n/locales";

export const LOCALE_COOKIE = "locale";
/** The language switcher's choice for the page it was made on: `/o/<token>?lang=fr`. */
export const CHOSEN_LOCALE_PARAM = "lang";

const isValidLanguageTag = (tag: string) => {
  try {
    return tag !== "*" && Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
};

type TLocaleSources = {
  /** Picked with the language switcher on this very page: it outranks everything. */
  chosenLocale?: string | null;
  /** The locale of whom the page's link is for: the member's, else the one the link was asked for in. */
  subjectLocale?: string | null;
  /** The visitor's choice, remembered. */
  cookieLocale?: string;
  acceptLanguage?: string | null;
};

/**
 * The language of a page: what the visitor just picked on it; else the member's locale (or the
 * link's); else the visitor's remembered choice; else the browser's preference; else English.
 * A regional locale speaks its language (`pt-PT` → `pt`).
 */
export const resolveLocale = ({ chosenLocale, subjectLocale, cookieLocale, acceptLanguage }: TLocaleSources) => {
  if (isSupportedLocale(chosenLocale)) return chosenLocale;
  const subjectLanguage = matchLocale(subjectLocale);
  if (subjectLanguage) return subjectLanguage;
  if (isSupportedLocale(cookieLocale)) return cookieLocale;
  // A malformed tag in Accept-Language is not the visitor's fault: skip it, keep the rest.
  const requested = new Negotiator({ headers: { "accept-language": acceptLanguage ?? "" } }).languages().filter(isValidLanguageTag);
  return match(requested, supportedLocales(), DEFAULT_LOCALE);
};
