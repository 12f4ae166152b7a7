/** The demo's members: one per language and a spread of EEA countries. */
export const DEMO_MEMBERS = [
  { externalId: "demo-0001", email: "anna.schmidt@example.de", country: "DE", birthDate: "1988-04-12", locale: "de" },
  { externalId: "demo-0002", email: "luc.martin@example.fr", country: "FR", birthDate: "1975-09-30", locale: "fr" },
  { externalId: "demo-0003", email: "siobhan.murphy@example.ie", country: "IE", birthDate: "1992-01-05", locale: "en" },
  { externalId: "demo-0004", email: "jan.devries@example.nl", country: "NL", birthDate: "1969-11-21", locale: "en" },
  { externalId: "demo-0005", email: "marta.kowalska@example.pl", country: "PL", birthDate: "2001-06-17", locale: "en" },
  { externalId: "demo-0006", email: "ingrid.hansen@example.no", country: "NO", birthDate: "1983-03-08", locale: "en" },
  { externalId: "demo-0007", email: "julie.dubois@example.be", country: "BE", birthDate: "1996-12-24", locale: "fr" },
  { externalId: "demo-0008", email: "lukas.gruber@example.at", country: "AT", birthDate: "1979-07-02", locale: "de" },
] as const;

/** Signs in to the demo's admin console as `admin` (docs/console.md); its sign-in link lands in the demo inbox. */
export const DEMO_ADMIN_EMAIL = "admin@objection.localhost";
