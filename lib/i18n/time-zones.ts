import type { TEeaCountry } from "@/lib/members/eea-countries";

// The zone most of each country's people live in (its capital's). One zone per person, on pages
// and in emails alike, whatever clock the browser keeps: a receipt and the page it links to say the
// same time. (Portugal's and Spain's islands keep their own clocks; their people see the capital's,
// its zone named, so the time is never ambiguous.)
const EEA_TIME_ZONES: Record<TEeaCountry, string> = {
  AT: "Europe/Vienna",
  BE: "Europe/Brussels",
  BG: "Europe/Sofia",
  CY: "Asia/Nicosia",
  CZ: "Europe/Prague",
  DE: "Europe/Berlin",
  DK: "Europe/Copenhagen",
  EE: "Europe/Tallinn",
  ES: "Europe/Madrid",
  FI: "Europe/Helsinki",
  FR: "Europe/Paris",
  GR: "Europe/Athens",
  HR: "Europe/Zagreb",
  HU: "Europe/Budapest",
  IE: "Europe/Dublin",
  IS: "Atlantic/Reykjavik",
  IT: "Europe/Rome",
  LI: "Europe/Vaduz",
  LT: "Europe/Vilnius",
  LU: "Europe/Luxembourg",
  LV: "Europe/Riga",
  MT: "Europe/Malta",
  NL: "Europe/Amsterdam",
  NO: "Europe/Oslo",
  PL: "Europe/Warsaw",
  PT: "Europe/Lisbon",
  RO: "Europe/Bucharest",
  SE: "Europe/Stockholm",
  SI: "Europe/Ljubljana",
  SK: "Europe/Bratislava",
};

/** The time zone to show a country's people their dates in; UTC for one outside the EEA or none. */
export const countryTimeZone = (country: string | null | undefined) => (country && country in EEA_TIME_ZONES ? EEA_TIME_ZONES[country as TEeaCountry] : "UTC");
