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

describe("ZMemberInput's email", () => {
  it.each([
    ["a Unicode domain", "a@müller.de", "a@müller.de"],
    ["a Unicode local part", "Jürgen@Müller.DE", "jürgen@müller.de"],
    ["a decomposed ü, composed to NFC", "Ju\u0308rgen@mu\u0308ller.de", "j\u00fcrgen@m\u00fcller.de"],
    ["another script", "用户@例子.广告", "用户@例子.广告"],
    ["Cyrillic with a Cyrillic top-level domain", "Иван@пример.рф", "иван@пример.рф"],
    ["a punycode domain, kept as sent", "a@XN--MLLER-KVA.de", "a@xn--mller-kva.de"],
  ])("accepts %s and stores it normalised (NFC, lower case, the domain not converted)", (_what, email, stored) => {
    expect(ZMemberInput.parse({ ...member, email }).email).toBe(stored);
  });

  it.each([["not-an-address"], ["a@b"], ["a@müller"], ["a b@müller.de"], ["a@müller..de"], [".a@müller.de"], ["a@-müller.de"], ["a\u0000@müller.de"], ["a@mül\nler.de"]])(
    "refuses %j",
    (email) => {
      expect(ZMemberInput.safeParse({ ...member, email }).error?.issues[0]?.message).toBe("email must be an email address");
    },
  );
});

describe("ZMemberInput's country", () => {
  it.each([["GR"], ["NO"], ["LI"], ["DE"], ["US"], ["CH"], ["GB"]])("accepts the assigned ISO 3166-1 alpha-2 code %s", (country) => {
    expect(ZMemberInput.parse({ ...member, country }).country).toBe(country);
  });

  it.each([["XX"], ["ZZ"], ["AA"], ["EL"], ["UK"], ["EU"], ["de"], ["DEU"], ["D"]])("refuses %s, naming the field", (country) => {
    const issues = ZMemberInput.safeParse({ ...member, country }).error?.issues;
    expect(issues?.map(({ path, message }) => ({ path, message }))).toEqual([{ path: ["country"], message: expect.stringMatching(/^country must be an assigned ISO 3166-1 alpha-2 code/) }]);
  });
});
