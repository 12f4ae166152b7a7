/** "29 November 2026, 10:15 UTC" in each language; dateStyle cannot be combined with timeZoneName. */
export const EFFECTIVE_AT_FORMAT = {
  year: "numeric",
  month: "long",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
  timeZoneName: "short",
} as const satisfies Intl.DateTimeFormatOptions;
