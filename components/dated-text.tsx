import { LocalTime } from "@/components/local-time";
import { formatDateTimeFor } from "@/lib/i18n/date-format";

// A private-use character: no message holds one, so it marks where the sentence puts the date.
const DATE_MARK = "\uE000";

type TDatedTextProps = {
  /** The translated sentence, given the date to put in it. */
  text: (date: string) => string;
  date: Date;
  locale: string;
  /** Whose clock to use until the browser tells its own: the person's country of residence. */
  country: string | null | undefined;
};

/** A sentence with a date in it, the date on the reader's clock with its zone named. */
export const DatedText = ({ text, date, locale, country }: TDatedTextProps) => {
  const [before = "", after = ""] = text(DATE_MARK).split(DATE_MARK);
  return (
    <>
      {before}
      <LocalTime date={date.toISOString()} locale={locale} fallback={formatDateTimeFor({ locale, country, date })} />
      {after}
    </>
  );
};
