import { describe, expect, it } from "vitest";

import { ZMemberInput } from "@/lib/members/schema";

const member = { externalId: "m-1", email: "Jane@Example.eu", country: "DE", birthDate: "1980-01-01" };

describe("ZMemberInput", () => {
  it("stores the email in its one normalised form", () => {
    expect(ZMemberInput.parse(member).email).toBe("jane@example.eu");
  });

  it.each([
    ["a line feed", "m-1\nm-2"],
    ["a carriage return", "m-1\rX"],
    ["a tab", "m\t1"],
    ["a NUL", "m\u00001"],
  ])("refuses an externalId holding %s, which would split an exported CSV row", (_what, externalId) => {
    const result = ZMemberInput.safeParse({ ...member, externalId });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("externalId must not contain control characters (line breaks, tabs, NUL)");
  });
});
