import { getLocale, getTranslations } from "next-intl/server";

import { supportedLocales } from "@/lib/i18n/locales";

const languageName = (locale: string) => new Intl.DisplayNames([locale], { type: "language" }).of(locale) ?? locale;

/** A plain form posted to /language, so switching language works without JavaScript too, on every page. */
export const LanguageSwitcher = async ({ returnTo }: { returnTo: string }) => {
  const t = await getTranslations("common");
  const current = await getLocale();
  return (
    <form action="/language" method="post" className="language-switcher">
      <input type="hidden" name="returnTo" value={returnTo} />
      <label htmlFor="language" className="visually-hidden">
        {t("language")}
      </label>
      <select id="language" name="locale" defaultValue={current} className="input input-compact">
        {supportedLocales().map((locale) => (
          <option key={locale} value={locale} lang={locale}>
            {languageName(locale)}
          </option>
        ))}
      </select>
      <button type="submit" className="button button-secondary button-compact">
        {t("changeLanguage")}
      </button>
    </form>
  );
};
