import "server-only";

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import type { TMessages } from "@/lib/i18n/messages-type";

export const DEFAULT_LOCALE = "en";

const messagesDir = () => path.join(process.cwd(), "messages");

let locales: string[] | undefined;

/** Every language with a file in messages/: adding one needs a file, no code. */
export const supportedLocales = () =>
  (locales ??= readdirSync(messagesDir())
    .filter((file) => /^[a-z]{2,3}(-[A-Z]{2})?\.json$/.test(file))
    .map((file) => file.replace(/\.json$/, ""))
    .sort());

export const isSupportedLocale = (value: string | null | undefined): value is string => !!value && supportedLocales().includes(value);

export const supportedOrDefault = (requested: string | null | undefined) => (isSupportedLocale(requested) ? requested : DEFAULT_LOCALE);

const cache = new Map<string, TMessages>();

export const loadMessages = (locale: string): TMessages => {
  const safe = supportedOrDefault(locale);
  let messages = cache.get(safe);
  if (!messages) {
    messages = JSON.parse(readFileSync(path.join(messagesDir(), `${safe}.json`), "utf8")) as TMessages;
    cache.set(safe, messages);
  }
  return messages;
};
