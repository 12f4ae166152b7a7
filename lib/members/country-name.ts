export const countryName = ({ country, locale }: { country: string; locale: string }) =>
  new Intl.DisplayNames([locale], { type: "region" }).of(country) ?? country;
