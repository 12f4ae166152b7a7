import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { IntlMessageFormat } from "intl-messageformat";
import { describe, expect, it } from "vitest";

import { DEFAULT_LOCALE, loadMessages, supportedLocales } from "@/lib/i18n/locales";
import { resolveLocale } from "@/lib/i18n/resolve-locale";

type TMessageTree = { [key: string]: string | TMessageTree };

const messagesDir = path.resolve(__dirname, "../../messages");
const messageFiles = readdirSync(messagesDir).filter((file) => file.endsWith(".json"));
const readMessages = (file: string) => JSON.parse(readFileSync(path.join(messagesDir, file), "utf8")) as TMessageTree;

/** Every message as [dotted key, text]. */
const flatten = (tree: TMessageTree, prefix = ""): [string, string][] =>
  Object.entries(tree).flatMap(([key, value]) => (typeof value === "string" ? [[`${prefix}${key}`, value] as [string, string]] : flatten(value, `${prefix}${key}.`)));

type TAstNode = { type: number; value?: unknown; options?: Record<string, { value: TAstNode[] }>; children?: TAstNode[] };

// Element types of the ICU AST (@formatjs/icu-messageformat-parser): argument, number, date, time, select, plural, tag.
const NAMED_TYPES = new Set([1, 2, 3, 4, 5, 6, 8]);

/** The arguments and tags a message uses, e.g. "date", "count", "<b>". */
const placeholders = (nodes: TAstNode[]): string[] =>
  nodes.flatMap((node) => [
    ...(NAMED_TYPES.has(node.type) && typeof node.value === "string" ? [node.type === 8 ? `<${node.value}>` : node.value] : []),
    ...Object.values(node.options ?? {}).flatMap((option) => placeholders(option.value)),
    ...placeholders(node.children ?? []),
  ]);

/** Every plural argument in a message, nested ones too. */
const pluralNodes = (nodes: TAstNode[]): TAstNode[] =>
  nodes.flatMap((node) => [...(node.type === 6 ? [node] : []), ...Object.values(node.options ?? {}).flatMap((option) => pluralNodes(option.value)), ...pluralNodes(node.children ?? [])]);

const english = new Map(flatten(readMessages(`${DEFAULT_LOCALE}.json`)));

/** The 24 official EU languages, and Norwegian Bokmål and Icelandic for the rest of the EEA. */
const EU_AND_EEA_LANGUAGES = ["bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv", "nb", "is"];

// Messages that may read the same as the English: names, and text that is only placeholders.
const SAME_AS_ENGLISH_ALLOWED = new Set(["common.appName"]);

/** Whether a message has words of its own, once its ICU arguments are left out. */
const hasWords = (text: string) => /\p{L}{2,}/u.test(text.replace(/\{[^{}]*\}/g, ""));

describe("message files", () => {
  it("cover every official EU language, Norwegian Bokmål and Icelandic", () => {
    expect(messageFiles.map((file) => file.replace(/\.json$/, "")).sort()).toEqual([...EU_AND_EEA_LANGUAGES].sort());
  });

  it.each(messageFiles.filter((file) => file !== `${DEFAULT_LOCALE}.json`))("%s carries no English sentence unchanged", (file) => {
    const untranslated = flatten(readMessages(file))
      .filter(([key, text]) => !SAME_AS_ENGLISH_ALLOWED.has(key) && hasWords(text) && text === english.get(key))
      .map(([key]) => key);
    expect(untranslated).toEqual([]);
  });

  it.each(messageFiles)("%s has plural forms its language uses, and always an `other`", (file) => {
    const locale = file.replace(/\.json$/, "");
    const categories = new Set<string>(new Intl.PluralRules(locale).resolvedOptions().pluralCategories);
    for (const [key, text] of flatten(readMessages(file))) {
      for (const node of pluralNodes(new IntlMessageFormat(text, locale).getAst() as TAstNode[])) {
        const options = Object.keys(node.options ?? {});
        expect(options, `${file} → ${key}`).toContain("other");
        const unknown = options.filter((option) => !option.startsWith("=") && !categories.has(option));
        expect(unknown, `${file} → ${key} uses plural categories ${locale} does not have`).toEqual([]);
      }
    }
  });

  it.each(messageFiles)("%s has exactly the keys of en.json", (file) => {
    const keys = flatten(readMessages(file)).map(([key]) => key);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual([...english.keys()].sort());
  });

  it.each(messageFiles)("%s holds only valid ICU messages, using the same arguments as English", (file) => {
    const locale = file.replace(/\.json$/, "");
    for (const [key, text] of flatten(readMessages(file))) {
      let format: IntlMessageFormat;
      try {
        format = new IntlMessageFormat(text, locale);
      } catch (error) {
        throw new Error(`${file} → ${key} is not valid ICU: ${error instanceof Error ? error.message : String(error)}`);
      }
      const englishText = english.get(key);
      if (englishText === undefined) continue; // reported by the key test
      const expected = [...new Set(placeholders(new IntlMessageFormat(englishText, DEFAULT_LOCALE).getAst() as TAstNode[]))].sort();
      expect([...new Set(placeholders(format.getAst() as TAstNode[]))].sort(), `${file} → ${key}`).toEqual(expected);
    }
  });
});

describe("supportedLocales", () => {
  it("lists a language for every message file, with no code change", () => {
    const fromFiles = messageFiles.map((file) => file.replace(/\.json$/, "")).sort();
    expect(supportedLocales()).toEqual(fromFiles);
    expect(supportedLocales()).toEqual(expect.arrayContaining(["en", "de", "fr"]));
  });

  it("loads each language's own messages", () => {
    for (const locale of supportedLocales()) {
      expect(loadMessages(locale)).toEqual(readMessages(`${locale}.json`));
    }
  });

  it("falls back to English for an unsupported or unsafe locale", () => {
    expect(loadMessages("ja")).toEqual(readMessages("en.json"));
    expect(loadMessages("../package")).toEqual(readMessages("en.json"));
  });
});

describe("resolveLocale", () => {
  it("picks the cookie's language when it is supported, whatever the browser asks for", () => {
    expect(resolveLocale({ cookieLocale: "de", acceptLanguage: "fr-CH,fr;q=0.9,en;q=0.5" })).toBe("de");
  });

  it("ignores an unsupported cookie and negotiates the browser's languages", () => {
    expect(resolveLocale({ cookieLocale: "ja", acceptLanguage: "fr-CH,fr;q=0.9,en;q=0.5" })).toBe("fr");
    expect(resolveLocale({ cookieLocale: "../en", acceptLanguage: "de-AT,de;q=0.9" })).toBe("de");
  });

  it("negotiates Accept-Language by quality, matching regional variants to their language", () => {
    expect(resolveLocale({ acceptLanguage: "fr-CH,fr;q=0.9,en;q=0.5" })).toBe("fr");
    expect(resolveLocale({ acceptLanguage: "en;q=0.2,de-DE;q=0.8" })).toBe("de");
    expect(resolveLocale({ acceptLanguage: "ja,fr;q=0.5" })).toBe("fr");
  });

  it("falls back to English for an unsupported language or no header", () => {
    expect(resolveLocale({ acceptLanguage: "ja" })).toBe("en");
    expect(resolveLocale({ acceptLanguage: null })).toBe("en");
    expect(resolveLocale({})).toBe("en");
  });

  it("falls back to English for a malformed header, without throwing", () => {
    for (const acceptLanguage of ["@@@", "fr_FR", "en-", "1234567890", "*;q=abc", ",,,"]) {
      expect(resolveLocale({ acceptLanguage })).toBe("en");
    }
  });

  it("skips a malformed tag but keeps the valid ones", () => {
    expect(resolveLocale({ acceptLanguage: "de,@@@" })).toBe("de");
    expect(resolveLocale({ acceptLanguage: "@@@;q=0.9,fr;q=0.5" })).toBe("fr");
  });
});
