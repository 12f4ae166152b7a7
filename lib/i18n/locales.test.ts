import { describe, expect, it } from "vitest";

import { supportedOrDefault } from "@/lib/i18n/locales";

describe("the language spoken to a member", () => {
  it("is their locale when the app speaks it", () => {
    expect(supportedOrDefault("de")).toBe("de");
    expect(supportedOrDefault("fr")).toBe("fr");
  });

  it("is the language of a regional tag (fr-BE, de-AT, de-CH), not English", () => {
    expect(supportedOrDefault("fr-BE")).toBe("fr");
    expect(supportedOrDefault("de-AT")).toBe("de");
    expect(supportedOrDefault("de-CH")).toBe("de");
  });

  it("is English for a language the app does not speak, no locale, or a tag that is not one", () => {
    expect(supportedOrDefault("xx")).toBe("en");
    expect(supportedOrDefault(null)).toBe("en");
    expect(supportedOrDefault("")).toBe("en");
    expect(supportedOrDefault("not a tag!")).toBe("en");
    expect(supportedOrDefault("\u0000")).toBe("en");
  });
});
