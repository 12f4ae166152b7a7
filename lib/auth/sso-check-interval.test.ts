import { describe, expect, it } from "vitest";

import { SSO_CHECK_LEAD_MINUTES, ssoCheckIntervalMinutes } from "@/lib/auth/sso-check-interval";

describe("ssoCheckIntervalMinutes", () => {
  it("makes a check due early by the worker's worst lag, so it comes within the configured minutes", () => {
    expect(ssoCheckIntervalMinutes(60)).toBe(60 - SSO_CHECK_LEAD_MINUTES);
    expect(ssoCheckIntervalMinutes(60) + SSO_CHECK_LEAD_MINUTES).toBeLessThanOrEqual(60);
  });

  it("keeps checks at least a minute apart, so one run never claims a session twice", () => {
    expect(ssoCheckIntervalMinutes(1)).toBe(1);
    expect(ssoCheckIntervalMinutes(2)).toBe(1);
    expect(ssoCheckIntervalMinutes(3)).toBe(1);
    expect(ssoCheckIntervalMinutes(4)).toBe(2);
  });
});
