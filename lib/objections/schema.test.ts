import { describe, expect, it } from "vitest";
import { z } from "zod";

import { REASON_MAX_LENGTH, ZObjectionInput, ZRequestLinkInput } from "@/lib/objections/schema";

const issueMessages = (result: z.ZodSafeParseResult<unknown>) => (result.success ? [] : result.error.issues.map((issue) => issue.message));

describe("ZObjectionInput", () => {
  it("accepts an EEA country with no reason", () => {
    const result = ZObjectionInput.safeParse({ token: "t", country: "IE" });
    expect(result.success).toBe(true);
    expect(result.data).toEqual({ token: "t", country: "IE", reason: undefined });
  });

  it("turns an empty or whitespace-only reason into no reason", () => {
    expect(ZObjectionInput.parse({ token: "t", country: "DE", reason: "" }).reason).toBeUndefined();
    expect(ZObjectionInput.parse({ token: "t", country: "DE", reason: "  \n\t " }).reason).toBeUndefined();
  });

  it("keeps a given reason as written", () => {
    const reason = "  My posts are mine.\nPlease leave them out.  ";
    expect(ZObjectionInput.parse({ token: "t", country: "FR", reason }).reason).toBe(reason);
  });

  it("rejects a country outside the EEA with country_required", () => {
    for (const country of ["US", "GB", "ie", ""]) {
      expect(issueMessages(ZObjectionInput.safeParse({ token: "t", country }))).toEqual(["country_required"]);
    }
    expect(issueMessages(ZObjectionInput.safeParse({ token: "t" }))).toEqual(["country_required"]);
  });

  it("accepts a reason of exactly the maximum length and rejects one character more with reason_too_long", () => {
    expect(REASON_MAX_LENGTH).toBe(2000);
    expect(ZObjectionInput.safeParse({ token: "t", country: "AT", reason: "x".repeat(REASON_MAX_LENGTH) }).success).toBe(true);
    expect(issueMessages(ZObjectionInput.safeParse({ token: "t", country: "AT", reason: "x".repeat(REASON_MAX_LENGTH + 1) }))).toEqual(["reason_too_long"]);
  });

  it("keeps line breaks and tabs in a reason, and rejects NUL and other control characters with reason_invalid_characters", () => {
    expect(ZObjectionInput.parse({ token: "t", country: "AT", reason: "One.\r\n\tTwo." }).reason).toBe("One.\r\n\tTwo.");
    for (const reason of ["a\u0000b", "a\u001bb", "a\u007fb", "a\u0085b"]) {
      expect(issueMessages(ZObjectionInput.safeParse({ token: "t", country: "AT", reason }))).toEqual(["reason_invalid_characters"]);
    }
  });

  it("rejects a missing or empty token with invalid_link", () => {
    expect(issueMessages(ZObjectionInput.safeParse({ token: "", country: "IE" }))).toEqual(["invalid_link"]);
    expect(issueMessages(ZObjectionInput.safeParse({ country: "IE" }))).toEqual(["invalid_link"]);
  });
});

describe("ZRequestLinkInput", () => {
  it("rejects something that is not an email address with email_invalid", () => {
    for (const email of ["not-an-email", "", "jane@", "@example.eu"]) {
      expect(issueMessages(ZRequestLinkInput.safeParse({ email }))).toEqual(["email_invalid"]);
    }
    expect(issueMessages(ZRequestLinkInput.safeParse({}))).toEqual(["email_invalid"]);
  });

  it("accepts an internationalised address, and refuses one holding a control character", () => {
    for (const email of ["a@müller.de", "jürgen@müller.de", "用户@例子.广告"]) expect(ZRequestLinkInput.parse({ email })).toEqual({ email });
    for (const email of ["a\u0000@müller.de", "a@mül\u0085ler.de"]) expect(issueMessages(ZRequestLinkInput.safeParse({ email }))).toEqual(["email_invalid"]);
  });

  it("trims the address before checking it", () => {
    expect(ZRequestLinkInput.parse({ email: "  jane@example.eu \n" })).toEqual({ email: "jane@example.eu" });
  });

  it("rejects an address longer than 254 characters with email_invalid", () => {
    // Well-formed (labels of 60 characters), only too long as a whole.
    const email = `${"a".repeat(60)}@${["b", "c", "d", "e"].map((letter) => letter.repeat(60)).join(".")}.eu`;
    expect(email.length).toBeGreaterThan(254);
    expect(z.email().safeParse(email).success).toBe(true);
    expect(issueMessages(ZRequestLinkInput.safeParse({ email }))).toEqual(["email_invalid"]);
  });
});
