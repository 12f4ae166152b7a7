import { countryName } from "@/lib/members/country-name";
import { EEA_COUNTRIES } from "@/lib/members/eea-countries";

export type TCountryOption = { code: string; name: string };

const optionsByLocale = new Map<string, TCountryOption[]>();

/** The form's country list in a language, sorted by name: built once per locale. */
export const eeaCountryOptions = (locale: string): TCountryOption[] => {
  let options = optionsByLocale.get(locale);
  if (!options) {
    options = EEA_COUNTRIES.map((code) => ({ code, name: countryName({ country: code, locale }) })).sort((a, b) => a.name.localeCompare(b.name, locale));
    optionsByLocale.set(locale, options);
  }
  return options;
};
