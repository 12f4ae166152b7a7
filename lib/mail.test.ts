import { describe, expect, it } from "vitest";

import { redactAddresses } from "@/lib/mail";

describe("redactAddresses", () => {
  it("replaces the address in an SMTP recipient rejection", () => {
    expect(redactAddresses("550 5.1.1 <jane@example.eu>: Recipient address rejected")).toBe("550 5.1.1 <[address]>: Recipient address rejected");
  });

  it("replaces every address in a text, whatever surrounds it", () => {
    const redacted = redactAddresses(`Can't send mail - all recipients were rejected: 550 "Jane.Doe+ai@Example.EU", (bob@mx.example.org); carol@example.com`);
    expect(redacted).not.toContain("@");
    expect(redacted.match(/\[address\]/g)).toHaveLength(3);
    expect(redacted).toContain("Can't send mail - all recipients were rejected: 550");
  });

  it("leaves a text without an address unchanged", () => {
    const text = "connect ECONNREFUSED 127.0.0.1:2525";
    expect(redactAddresses(text)).toBe(text);
  });
});
