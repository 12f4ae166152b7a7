import { describe, expect, it } from "vitest";

import { redactSecrets } from "@/lib/logger";

const TOKEN = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4Y5z6a7B8c9D0e1F2g3H4i5J6";

describe("log redaction", () => {
  it("replaces addresses, link tokens and bearer tokens, and keeps the rest", () => {
    expect(TOKEN).toHaveLength(72);
    const line = `Receipt to Jane.Doe@Example.EU failed: 550 <jane.doe@example.eu> unknown; link https://x.eu/o/${TOKEN} and /s/abcDEF123_-xyz; Authorization: Bearer platform-secret-123`;
    const redacted = redactSecrets(line);
    expect(redacted).toBe("Receipt to [address] failed: 550 <[address]> unknown; link https://x.eu/o/[token] and /s/[token]; Authorization: Bearer [token]");
  });

  it("leaves ids, codes and plain words alone", () => {
    const line = "Objection 0b7e6c1e-9d4f-4c1a-8f43-2d6f3b2a9c10 stored; campaign batch 3 of 12; SMTP 421";
    expect(redactSecrets(line)).toBe(line);
  });

  it("redacts the token of an admin sign-in link, whose job carries it", () => {
    const token = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    expect(redactSecrets(`job {"url":"http://localhost:3000/api/auth/callback/nodemailer?callbackUrl=%2Fadmin&token=${token}"}`)).toBe(
      'job {"url":"http://localhost:3000/api/auth/callback/nodemailer?callbackUrl=%2Fadmin&token=[token]"}',
    );
  });

  it("redacts an internationalised address", () => {
    expect(redactSecrets("to zoë@müller.de")).toBe("to [address]");
  });
});
