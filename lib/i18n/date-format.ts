import { countryTimeZone } from "@/lib/i18n/time-zones";
import { shortZoneName } from "@/lib/i18n/time-zone-name";

/**
 * "30 November 2026 at 04:15 CET" in each language: the zone is named, briefly, so nobody has to
 * guess which clock a date is on. dateStyle cannot be combined with timeZoneName.
 */
export const dateTimeFormat = (timeZone: string) =>
  ({ year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone, timeZoneName: "short" }) as const satisfies Intl.DateTimeFormatOptions;

const formats = new Map<string, Intl.DateTimeFormat>();

/** A date and time as `locale` writes it, on the clock of `timeZone` (an IANA name), the zone's short name (lib/i18n/time-zone-name.ts) in it. */
export const formatDateTimeIn = ({ locale, timeZone, date }: { locale: string; timeZone: string; date: Date }) => {
  const key = `${locale} ${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, dateTimeFormat(timeZone));
    // A handful of languages times the zones of 30 countries, plus what browsers report.
    if (formats.size < 5000) formats.set(key, format);
  }
  return format
    .formatToParts(date)
    .map((part) => (part.type === "timeZoneName" ? shortZoneName({ timeZone, date, intlName: part.value }) : part.value))
    .join("");
};

/** A date and time for someone living in `country`: on that country's clock, its zone named. */
export const formatDateTimeFor = ({ locale, country, date }: { locale: string; country: string | null | undefined; date: Date }) =>
  formatDateTimeIn({ locale, timeZone: countryTimeZone(country), date });

/** "1 March 2027": a day, the same everywhere, as an ISO date (YYYY-MM-DD) names it. */
export const formatDay = ({ locale, day }: { locale: string; day: string }) =>
  new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));
