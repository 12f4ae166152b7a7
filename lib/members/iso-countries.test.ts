import { describe, expect, it } from "vitest";

import { EEA_COUNTRIES } from "@/lib/members/eea-countries";
import { ISO_COUNTRIES, isIsoCountry } from "@/lib/members/iso-countries";

describe("isIsoCountry", () => {
  it("holds the 249 officially assigned codes and XK", () => {
    expect(ISO_COUNTRIES).toHaveLength(250);
    expect(new Set(ISO_COUNTRIES).size).toBe(250);
    for (const code of ["GR", "NO", "LI", "DE", "US", "GB", "CH", "XK", "AX", "SS", "CW", "BQ", "SX"]) expect(isIsoCountry(code)).toBe(true);
  });

  it("holds every EU/EEA country", () => {
    for (const code of EEA_COUNTRIES) expect(isIsoCountry(code)).toBe(true);
  });

  it("refuses user-assigned, reserved and withdrawn codes, other spellings and other lengths", () => {
    for (const code of ["XX", "ZZ", "AA", "QM", "XA", "EL", "UK", "EU", "AN", "YU", "CS", "gr", "Gr", "GRC", "300", "G", ""]) expect(isIsoCountry(code)).toBe(false);
  });
});
