import { describe, expect, it } from "vitest";

import { openSsoToken, sealSsoToken } from "@/lib/auth/sso-token-box";

describe("a refresh token sealed for the session row", () => {
  it("opens to the same token, and no two seals of it look alike", () => {
    const sealed = sealSsoToken("refresh-token-value");
    expect(sealed).not.toContain("refresh-token-value");
    expect(openSsoToken(sealed)).toBe("refresh-token-value");
    expect(sealSsoToken("refresh-token-value")).not.toBe(sealed);
  });

  it("does not open when altered or not a seal", () => {
    const [version, iv, tag, body] = sealSsoToken("refresh-token-value").split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0]! ^= 1;
    expect(openSsoToken([version, iv, tag, flipped.toString("base64url")].join("."))).toBeNull();
    expect(openSsoToken("refresh-token-value")).toBeNull();
    expect(openSsoToken(`v2.${iv}.${tag}.${body}`)).toBeNull();
  });
});
