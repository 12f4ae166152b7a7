import { describe, expect, it } from "vitest";

import { looksLikeEmailAddress, ZFindMember } from "@/lib/members/find-member-schema";
import { ZExternalId } from "@/lib/members/schema";

describe("ZFindMember", () => {
  it("takes what member sync takes as an external id, trimmed", () => {
    for (const externalId of ["u-1", "  u-1  ", "p-100%", "müller-用户", "x".repeat(200), "jane@example.eu"]) {
      expect(ZFindMember.parse({ externalId })).toEqual({ externalId: ZExternalId.parse(externalId) });
    }
  });

  it.each([
    ["empty", "   ", /Enter the member's external id/],
    ["missing", undefined, /Enter the member's external id/],
    ["too long", "x".repeat(201), /at most 200 characters/],
    ["a line break", "u-1\r\nu-2", /control characters/],
    ["NUL", "u\u00001", /control characters/],
  ])("refuses %s with a message a person can act on, as sync refuses it", (_what, externalId, message) => {
    const parsed = ZFindMember.safeParse({ externalId });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(message);
    if (typeof externalId === "string") expect(ZExternalId.safeParse(externalId).success).toBe(false);
  });
});

describe("looksLikeEmailAddress", () => {
  it("tells an address from an external id", () => {
    expect(looksLikeEmailAddress(" Jane.Doe@Example.eu ")).toBe(true);
    expect(looksLikeEmailAddress("jürgen@müller.de")).toBe(true);
    for (const externalId of ["u-1", "team@42", "a@b", "e2e-quiet-1234"]) expect(looksLikeEmailAddress(externalId)).toBe(false);
  });
});
