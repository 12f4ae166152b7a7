import { describe, expect, it } from "vitest";
import { z } from "zod";

import { freeTextCharactersOnly, hasControlCharacter, hasFreeTextControlCharacter, noControlCharacters } from "@/lib/validation/text";

const C0 = Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code));
const C1 = Array.from({ length: 0x21 }, (_, offset) => String.fromCharCode(0x7f + offset));
const LAYOUT = ["\t", "\n", "\r"];

describe("control characters", () => {
  it("an identifier may hold none of C0, DEL or C1, tab and line breaks included, nor an unpaired surrogate", () => {
    for (const character of [...C0, ...C1, "\ud800", "\udc00"]) expect(hasControlCharacter(`a${character}b`)).toBe(true);
    for (const text of ["müller-42", "Ünïcödé ✓", "a b", "emoji 😀", "\u00a0", "\u200b"]) expect(hasControlCharacter(text)).toBe(false);
  });

  it("free text keeps tab, line feed and carriage return, and refuses every other control", () => {
    for (const character of LAYOUT) expect(hasFreeTextControlCharacter(`a${character}b`)).toBe(false);
    for (const character of [...C0, ...C1].filter((character) => !LAYOUT.includes(character))) expect(hasFreeTextControlCharacter(`a${character}b`)).toBe(true);
    expect(hasFreeTextControlCharacter("line one\r\n\tline two 😀")).toBe(false);
  });

  it("as zod checks, report the given message", () => {
    const identifier = z.string().check(noControlCharacters("no controls"));
    const text = z.string().check(freeTextCharactersOnly("no controls in text"));
    expect(identifier.safeParse("a\nb").error?.issues[0]?.message).toBe("no controls");
    expect(text.safeParse("a\nb").success).toBe(true);
    expect(text.safeParse("a\u0000b").error?.issues[0]?.message).toBe("no controls in text");
  });
});
