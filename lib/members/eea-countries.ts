// The one place that says who is in scope: the 27 EU member states plus Iceland,
// Liechtenstein and Norway (EEA). ISO 3166-1 alpha-2; Greece is "GR", not "EL".
export const EEA_COUNTRIES = [
  "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS", "IT", "LI",
  "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
] as const;

export type TEeaCountry = (typeof EEA_COUNTRIES)[number];

export const isEeaCountry = (value: string): value is TEeaCountry => (EEA_COUNTRIES as readonly string[]).includes(value);
