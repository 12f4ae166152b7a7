import { describe, expect, it } from "vitest";

import { languageSwitchTarget, withShownLocale } from "@/lib/i18n/language-switch-target";
import { matchLocale, supportedOrDefault } from "@/lib/i18n/locales";
import { resolveLocale } from "@/lib/i18n/resolve-locale";

describe("a page's language: member, then link, then cookie, then Accept-Language, then English", () => {
  it("speaks the member's language before the visitor's remembered choice and the browser's", () => {
    expect(resolveLocale({ subjectLocale: "pt-PT", cookieLocale: "fr", acceptLanguage: "de" })).toBe("pt");
    expect(resolveLocale({ subjectLocale: "de-AT", acceptLanguage: "en" })).toBe("de");
  });

  it("goes on to the cookie when the member's locale is none the app speaks", () => {
    expect(resolveLocale({ subjectLocale: "ja", cookieLocale: "fr", acceptLanguage: "de" })).toBe("fr");
    expect(resolveLocale({ subjectLocale: "not a tag", acceptLanguage: "de" })).toBe("de");
    expect(resolveLocale({ subjectLocale: null, acceptLanguage: "sv-FI" })).toBe("sv");
  });

  it("lets the choice just made with the switcher on the page win over the member's locale", () => {
    expect(resolveLocale({ chosenLocale: "fi", subjectLocale: "de", cookieLocale: "fr" })).toBe("fi");
  });

  it("ignores a chosen language the app does not speak", () => {
    expect(resolveLocale({ chosenLocale: "xx", subjectLocale: "de" })).toBe("de");
    expect(resolveLocale({ chosenLocale: "../en", cookieLocale: "fr" })).toBe("fr");
  });
});

describe("matchLocale", () => {
  it.each([
    ["fr-BE", "fr"],
    ["nb-NO", "nb"],
    ["no", "nb"],
    ["pt-PT", "pt"],
    ["pt-BR", "pt"],
    ["de-AT", "de"],
    ["is-IS", "is"],
    ["ga-IE", "ga"],
    ["el-CY", "el"],
    ["sv-FI", "sv"],
  ])("matches %s to %s", (tag, language) => {
    expect(matchLocale(tag)).toBe(language);
  });

  it("finds nothing for a language the app does not speak, or a tag that is not one", () => {
    expect(matchLocale("ja")).toBeNull();
    expect(matchLocale("@@")).toBeNull();
    expect(matchLocale("")).toBeNull();
    expect(supportedOrDefault("ja")).toBe("en");
  });
});

describe("languageSwitchTarget", () => {
  it("names the choice in the address of a link's page, where the member's locale would win over the cookie", () => {
    expect(languageSwitchTarget({ locale: "fr", returnTo: "/o/abc" })).toBe("/o/abc?lang=fr");
    expect(languageSwitchTarget({ locale: "de", returnTo: "/s/abc" })).toBe("/s/abc?lang=de");
  });

  it("goes back to any other page as it was: the cookie carries the choice there", () => {
    expect(languageSwitchTarget({ locale: "fr", returnTo: "/object" })).toBe("/object");
    expect(languageSwitchTarget({ locale: "fr", returnTo: "/" })).toBe("/");
  });
});

describe("withShownLocale", () => {
  it("keeps the language a link's form was shown in across a post without JavaScript", () => {
    expect(withShownLocale({ path: "/o/abc", locale: "fr" })).toBe("/o/abc?lang=fr");
    expect(withShownLocale({ path: "/o/abc?error=country%3Acountry_required", locale: "de" })).toBe("/o/abc?error=country%3Acountry_required&lang=de");
    expect(withShownLocale({ path: "/s/abc", locale: "pt" })).toBe("/s/abc?lang=pt");
  });

  it("adds nothing for another page, no language, or one that is not a language code", () => {
    expect(withShownLocale({ path: "/o/invalid", locale: undefined })).toBe("/o/invalid");
    expect(withShownLocale({ path: "/object", locale: "fr" })).toBe("/object");
    expect(withShownLocale({ path: "/o/abc", locale: "fr&x=1" })).toBe("/o/abc");
  });
});
