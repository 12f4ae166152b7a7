// The short name of a zone's clock, the same on the page and in the email for the same person and
// language. Intl's own short names differ by language and engine: "MEZ" in German and "CET" in
// Danish, but "GMT+1" in English and "UTC+1" in French. A language's own abbreviation is kept
// where it has one; an offset ("GMT+1", "UTC+1", "Гринуич+1") becomes the name Europe knows the
// clock by: "CET", "EEST", "GMT".

/** The standard and summer names of the clocks the EEA's zones keep, by zone. */
const CLOCK_NAMES: Record<string, readonly [standard: string, summer: string]> = {
  "Europe/Lisbon": ["WET", "WEST"],
  "Atlantic/Madeira": ["WET", "WEST"],
  "Atlantic/Canary": ["WET", "WEST"],
  "Europe/Dublin": ["GMT", "IST"],
  "Europe/London": ["GMT", "BST"],
  "Atlantic/Reykjavik": ["GMT", "GMT"],
  "Atlantic/Azores": ["AZOT", "AZOST"],
  "Europe/Sofia": ["EET", "EEST"],
  "Asia/Nicosia": ["EET", "EEST"],
  "Asia/Famagusta": ["EET", "EEST"],
  "Europe/Tallinn": ["EET", "EEST"],
  "Europe/Helsinki": ["EET", "EEST"],
  "Europe/Athens": ["EET", "EEST"],
  "Europe/Vilnius": ["EET", "EEST"],
  "Europe/Riga": ["EET", "EEST"],
  "Europe/Bucharest": ["EET", "EEST"],
  "Europe/Mariehamn": ["EET", "EEST"],
  UTC: ["UTC", "UTC"],
  "Etc/UTC": ["UTC", "UTC"],
};

/** Every other European zone in the tables (Berlin, Paris, Rome, …) keeps Central European time. */
const CENTRAL: readonly [string, string] = ["CET", "CEST"];

/** An offset rather than a name: "GMT+1", "UTC+01:00", "GMT +2", "Гринуич+1", "GMT". */
const OFFSET_NAME = /^(?:GMT|UTC|Гринуич)(?:\s?[+\-−]\d{1,2}(?::\d{2})?)?$/;

const offsetMinutes = (timeZone: string, date: Date) => {
  const name = new Intl.DateTimeFormat("en", { timeZone, timeZoneName: "longOffset" }).formatToParts(date).find((part) => part.type === "timeZoneName")?.value ?? "GMT";
  const match = /([+-])(\d{2}):(\d{2})/.exec(name);
  return match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
};

/** Whether `date` falls in the zone's summer time: its offset is ahead of January's and July's smaller one. */
const isSummerTime = (timeZone: string, date: Date) => {
  const year = date.getUTCFullYear();
  const standard = Math.min(offsetMinutes(timeZone, new Date(Date.UTC(year, 0, 1))), offsetMinutes(timeZone, new Date(Date.UTC(year, 6, 1))));
  return offsetMinutes(timeZone, date) > standard;
};

/** The European name of a zone's clock at `date`, or undefined for a zone outside Europe's tables. */
const europeanClockName = (timeZone: string, date: Date) => {
  const names = CLOCK_NAMES[timeZone] ?? (timeZone.startsWith("Europe/") ? CENTRAL : undefined);
  return names?.[isSummerTime(timeZone, date) ? 1 : 0];
};

/**
 * The short name of `timeZone`'s clock at `date`, given the name Intl wrote in the language: kept
 * when it is a name ("MEZ", "SEČ"), replaced by the European one when it is an offset.
 */
export const shortZoneName = ({ timeZone, date, intlName }: { timeZone: string; date: Date; intlName: string }) =>
  OFFSET_NAME.test(intlName) ? (europeanClockName(timeZone, date) ?? intlName) : intlName;
