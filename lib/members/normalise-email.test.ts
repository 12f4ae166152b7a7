import { describe, expect, it } from "vitest";

import { normaliseEmail } from "@/lib/members/normalise-email";

describe("normaliseEmail", () => {
  it("trims white space around the address", () => {
    expect(normaliseEmail("  jane@example.eu \n")).toBe("jane@example.eu");
  });

  it("lower-cases the whole address, so Jane@ and jane@ are one person", () => {
    expect(normaliseEmail(" Jane.Doe@MAIL.Example.EU ")).toBe("jane.doe@mail.example.eu");
    expect(normaliseEmail('"Jane@Home"@EXAMPLE.eu')).toBe('"jane@home"@example.eu');
  });

  it("composes Unicode to NFC before lower-casing, so both spellings of ü hash alike", () => {
    const decomposed = "Mu\u0308ller@Example.eu";
    const composed = "M\u00fcller@example.eu";
    expect(normaliseEmail(decomposed)).toBe("m\u00fcller@example.eu");
    expect(normaliseEmail(decomposed)).toBe(normaliseEmail(composed));
  });

  it("lower-cases beyond ASCII", () => {
    expect(normaliseEmail("ÉLODIE@EXEMPLE.FR")).toBe("élodie@exemple.fr");
  });
});
