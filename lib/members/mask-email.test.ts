import { describe, expect, it } from "vitest";

import { maskEmail } from "@/lib/members/mask-email";

describe("maskEmail", () => {
  it("keeps the first character and the domain, and hides the rest of the local part", () => {
    expect(maskEmail("jane.doe@example.eu")).toBe("j•••@example.eu");
  });

  it("does not reveal the length of the local part", () => {
    expect(maskEmail("jo@example.eu")).toBe(maskEmail("jonathan.long.name@example.eu"));
    expect(maskEmail("a@example.eu")).toHaveLength(maskEmail("abcdefghij@example.eu").length);
  });

  it("masks at the last @, so a quoted local part with an @ stays hidden", () => {
    expect(maskEmail('"jane@home"@example.eu')).toBe('"•••@example.eu');
  });

  it("reveals nothing for a value without a local part or without an @", () => {
    expect(maskEmail("@example.eu")).toBe("•••");
    expect(maskEmail("jane.doe")).toBe("•••");
    expect(maskEmail("")).toBe("•••");
  });
});
