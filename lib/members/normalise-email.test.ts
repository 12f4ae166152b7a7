import { describe, expect, it } from "vitest";

import { normaliseEmail } from "@/lib/members/normalise-email";

describe("normaliseEmail", () => {
  it("trims surrounding whitespace", () => {
    expect(normaliseEmail("  jane@example.eu \n")).toBe("jane@example.eu");
  });

  it("lower-cases the domain", () => {
    expect(normaliseEmail("jane@Example.EU")).toBe("jane@example.eu");
  });

  it("keeps the case of the local part", () => {
    expect(normaliseEmail(" Jane.Doe@MAIL.Example.EU ")).toBe("Jane.Doe@mail.example.eu");
  });

  it("splits at the last @, so only the domain is lower-cased", () => {
    expect(normaliseEmail('"Jane@Home"@EXAMPLE.eu')).toBe('"Jane@Home"@example.eu');
  });

  it("returns an address without an @ trimmed and otherwise unchanged", () => {
    expect(normaliseEmail("  Not-An-Address ")).toBe("Not-An-Address");
  });
});
