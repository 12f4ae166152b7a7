import { describe, expect, it } from "vitest";
import { z } from "zod";

import { EMAIL_ADDRESS, emailAddress } from "@/lib/validation/email";

describe("EMAIL_ADDRESS", () => {
  it("takes every address zod's own pattern takes", () => {
    for (const email of ["jane@example.eu", "jane.doe+tag@mail.example.eu", "o'neil@example.ie", "a_b-c@ex-ample.de", "1@2.eu"]) {
      expect(z.email().safeParse(email).success).toBe(true);
      expect(EMAIL_ADDRESS.test(email)).toBe(true);
    }
  });

  it("takes letters of every script in the local part and the domain, and a punycode domain as written", () => {
    for (const email of ["a@müller.de", "jürgen@müller.de", "élodie@exemple.fr", "用户@例子.广告", "иван@пример.рф", "δοκιμή@παράδειγμα.δοκιμή", "a@xn--mller-kva.de", "a@example.xn--p1ai", "mu\u0308ller@mu\u0308ller.de"]) {
      expect(EMAIL_ADDRESS.test(email)).toBe(true);
    }
  });

  it("refuses what zod.regexes.unicodeEmail would let through: no dot, empty labels, dots at the edge, controls", () => {
    for (const email of ["a@b", "a@müller", "a@müller..de", ".a@müller.de", "a.@müller.de", "a..b@müller.de", "a@-müller.de", "a@\u0308müller.de", "a b@müller.de", "a\u0000@müller.de", "a@mül\u0085ler.de", "a@müller.de\n", "a@@müller.de", "a@müller.d"]) {
      expect(EMAIL_ADDRESS.test(email)).toBe(false);
    }
  });

  it("as a zod schema, reports the given message", () => {
    expect(emailAddress({ error: "not an address" }).safeParse("a@b").error?.issues[0]?.message).toBe("not an address");
  });
});
