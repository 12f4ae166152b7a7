const DATE_TIME = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

/** One format for every time in the console, in UTC, so two admins in two countries read the same thing. */
export const formatDateTime = (date: Date | null | undefined) =>
  date ? `${DATE_TIME.format(date)} UTC` : "—";
