export const CHANNEL_LABELS: Record<string, string> = { email: "Email", in_app: "In-app" };

export const countriesLabel = (countries: readonly string[]) => (countries.length === 0 ? "All EU/EEA" : countries.join(", "));
