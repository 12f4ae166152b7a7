import { LocalTime } from "@/components/local-time";
import { formatDateTimeFor } from "@/lib/i18n/date-format";

// A private-use character: no message holds one, so it marks where the sentence puts the date.
const DATE_MARK = "\uE000";

type TDatedTextProps = {
  /** The translated sentence, given the date to put in it. */
  text: (date: string) => string;
  date: Date;
  locale: string;
  /** Whose clock to use: the person's country of residence. Without one, the browser's clock. */
  country: string | null | undefined;
};

/**
 * A sentence with a date in it, its zone named briefly. A known person's date is on their
 * country's clock, as in their emails (formatDateTimeFor), whatever clock the browser keeps: the
 * receipt and the page say the same time. The browser's clock only where no one is known.
 */
export const DatedText = ({ text, date, locale, country }: TDatedTextProps) => {
  const [before = "", after = ""] = text(DATE_MARK).split(DATE_MARK);
  const fallback = formatDateTimeFor({ locale, country, date });
  return (
    <>
      {before}
      {country ? <time dateTime={date.toISOString()}>{fallback}</time> : <LocalTime date={date.toISOString()} locale={locale} fallback={fallback} />}
      {after}
    </>
  );
};
