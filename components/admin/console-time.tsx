const FORMAT = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** A time in UTC, the same on the server and in every admin's browser (no hydration mismatch), with the exact instant for tooltips. */
export const ConsoleTime = ({ value, fallback = "—" }: { value: Date | string | null | undefined; fallback?: string }) => {
  if (!value) return <span className="text-slate-600">{fallback}</span>;
  const date = new Date(value);
  return (
    <time dateTime={date.toISOString()} title={date.toISOString()} className="whitespace-nowrap">
      {FORMAT.format(date)} UTC
    </time>
  );
};
