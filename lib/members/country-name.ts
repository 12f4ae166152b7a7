const displayNames = new Map<string, Intl.DisplayNames>();

// Building an Intl.DisplayNames costs far more than a lookup: one per locale, kept.
export const countryName = ({ country, locale }: { country: string; locale: string }) => {
  let names = displayNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: "region" });
    displayNames.set(locale, names);
  }
  return names.of(country) ?? country;
};
