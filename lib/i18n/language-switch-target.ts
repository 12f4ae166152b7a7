import { CHOSEN_LOCALE_PARAM } from "@/lib/i18n/resolve-locale";

// A page reached by a personal, status or "stop these emails" link speaks its member's language before the visitor's
// remembered one (the cookie): there, the choice travels with the page's address instead.
const LINK_PAGE = /^\/[osu]\/[^/?#]+$/;

/**
 * A page's path with the language its form was shown in, for a form posted without JavaScript: the
 * redirect back keeps the language the visitor saw (or chose), whatever the member's locale says.
 */
export const withShownLocale = ({ path, locale }: { path: string; locale: string | undefined }) => {
  if (!locale || !/^[a-z]{2,3}$/.test(locale) || !LINK_PAGE.test(path.split("?")[0] ?? "")) return path;
  return `${path}${path.includes("?") ? "&" : "?"}${CHOSEN_LOCALE_PARAM}=${locale}`;
};

/** Where the language switcher goes back to: the same page, which on a link's page names the choice. */
export const languageSwitchTarget = ({ locale, returnTo }: { locale: string; returnTo: string }) =>
  LINK_PAGE.test(returnTo) ? `${returnTo}?${CHOSEN_LOCALE_PARAM}=${encodeURIComponent(locale)}` : returnTo;
