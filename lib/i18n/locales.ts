import "server-only";

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { match } from "@formatjs/intl-localematcher";

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

const NO_MATCH = "und";
const matched = new Map<string, string | null>();

/**
 * The supported language for someone whose locale is `requested`: the same, or the one a regional
 * tag belongs to (`fr-BE` → `fr`, `no` → `nb`); null when none is close, or the tag is not one.
 */
export const matchLocale = (requested: string | null | undefined): string | null => {
  if (!requested) return null;
  if (isSupportedLocale(requested)) return requested;
  // Campaigns ask once per email: a member's locale is one of a few dozen tags, each matched once.
  let language = matched.get(requested);
  if (language === undefined) {
    try {
      const best = match([requested], supportedLocales(), NO_MATCH);
      language = best === NO_MATCH ? null : best;
    } catch {
      language = null;
    }
    if (matched.size < 1000) matched.set(requested, language);
  }
  return language;
};

/** The language to speak to someone whose locale is `requested`: matchLocale's, else English. */
export const supportedOrDefault = (requested: string | null | undefined) => matchLocale(requested) ?? DEFAULT_LOCALE;

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
