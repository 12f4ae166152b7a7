const numbers = new Intl.NumberFormat("en");
const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const percents = new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 1 });

export const formatCount = (value: number) => numbers.format(value);

/** `part` as a share of `whole`, or an en dash when there is no whole. */
export const formatShare = (part: number, whole: number) => (whole > 0 ? percents.format(part / whole) : "–");

const UNITS = [
  { unit: "day", ms: 86_400_000 },
  { unit: "hour", ms: 3_600_000 },
  { unit: "minute", ms: 60_000 },
] as const;

/** "just now", "3 minutes ago", "yesterday": how long before `now` the moment `then` was. */
export const formatAge = ({ then, now }: { then: Date; now: Date }) => {
  const ms = now.getTime() - then.getTime();
  if (ms < 60_000) return "just now";
  const { unit, ms: size } = UNITS.find((candidate) => ms >= candidate.ms) ?? UNITS[2];
  return relative.format(-Math.floor(ms / size), unit);
};

const dateTimes = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export const formatUtc = (date: Date) => `${dateTimes.format(date)} UTC`;
