"use client";

import { useSyncExternalStore } from "react";

import { formatDateTimeIn } from "@/lib/i18n/date-format";

const subscribeToNothing = () => () => undefined;
const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const noTimeZone = () => null;

type TLocalTimeProps = {
  date: string;
  locale: string;
  /** The date as the server wrote it (on UTC): shown without JavaScript. */
  fallback: string;
};

/** A date on the visitor's own clock once the browser tells it, for a visitor whose country is unknown; until then (or without JavaScript), the server's. */
export const LocalTime = ({ date, locale, fallback }: TLocalTimeProps) => {
  const timeZone = useSyncExternalStore(subscribeToNothing, browserTimeZone, noTimeZone);
  return <time dateTime={date}>{timeZone ? formatDateTimeIn({ locale, timeZone, date: new Date(date) }) : fallback}</time>;
};
