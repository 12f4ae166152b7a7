import { describe, expect, it } from "vitest";

import { formatDateTimeFor, formatDateTimeIn, formatDay } from "@/lib/i18n/date-format";
import { supportedLocales } from "@/lib/i18n/locales";
import { EEA_COUNTRIES } from "@/lib/members/eea-countries";

const WINTER = new Date("2026-12-01T10:44:00Z");
const SUMMER = new Date("2026-07-01T10:44:00Z");

/** The zone's name in a formatted date: its last word in every language the app speaks. */
const zoneOf = (text: string) => /(\S+)$/.exec(text)?.[1];

describe("a date for a member", () => {
  it("is on their country's clock with a short name: 11:44 CET for a German member in English, not the browser's UTC", () => {
    expect(formatDateTimeFor({ locale: "en", country: "DE", date: WINTER })).toBe("December 1, 2026 at 11:44\u202fAM CET");
    expect(formatDateTimeFor({ locale: "en", country: "DE", date: SUMMER })).toBe("July 1, 2026 at 12:44\u202fPM CEST");
  });

  it("names Ireland's and Portugal's clocks as people there do (GMT, IST, WET), not Greenwich Mean Time or GMT+1", () => {
    expect(zoneOf(formatDateTimeFor({ locale: "en", country: "IE", date: WINTER }))).toBe("GMT");
    expect(zoneOf(formatDateTimeFor({ locale: "en", country: "IE", date: SUMMER }))).toBe("IST");
    expect(zoneOf(formatDateTimeFor({ locale: "pt", country: "PT", date: WINTER }))).toBe("WET");
    expect(zoneOf(formatDateTimeFor({ locale: "en", country: "GR", date: SUMMER }))).toBe("EEST");
  });

  it("keeps a language's own abbreviation (MEZ in German, SEČ in Czech)", () => {
    expect(formatDateTimeFor({ locale: "de", country: "DE", date: WINTER })).toBe("1. Dezember 2026 um 11:44 MEZ");
    expect(zoneOf(formatDateTimeFor({ locale: "cs", country: "CZ", date: WINTER }))).toBe("SEČ");
  });

  it("never names a zone by its offset or in long words, in any of the 26 languages and any EEA country", () => {
    for (const locale of supportedLocales())
      for (const country of EEA_COUNTRIES)
        for (const date of [WINTER, SUMMER]) {
          // Icelandic puts the zone before the time: look for it anywhere, as a word of capitals.
          const text = formatDateTimeFor({ locale, country, date });
          expect(text, `${locale} ${country}`).not.toMatch(/(GMT|UTC|Гринуич)\s?[+\-−]\d/);
          expect(text, `${locale} ${country}`).toMatch(/(^|\s)\p{Lu}{2,5}($|\s)/u);
        }
  });

  it("is the same text each time for the same person and language: the page and the receipt agree", () => {
    expect(formatDateTimeFor({ locale: "fr", country: "FR", date: WINTER })).toBe(formatDateTimeFor({ locale: "fr", country: "FR", date: WINTER }));
    expect(zoneOf(formatDateTimeFor({ locale: "fr", country: "FR", date: WINTER }))).toBe("CET");
  });

  it("is on UTC, named UTC, for no country", () => {
    expect(zoneOf(formatDateTimeFor({ locale: "en", country: null, date: WINTER }))).toBe("UTC");
  });

  it("keeps Intl's name for a zone outside Europe (a browser's, when no member is known)", () => {
    expect(zoneOf(formatDateTimeIn({ locale: "en-US", timeZone: "America/New_York", date: WINTER }))).toBe("EST");
  });
});

describe("a day", () => {
  it("is written in the language, on no clock", () => {
    expect(formatDay({ locale: "en", day: "2027-03-01" })).toBe("March 1, 2027");
    expect(formatDay({ locale: "de", day: "2027-03-01" })).toBe("1. März 2027");
  });
});
