import { describe, expect, it } from "vitest";

import { ADMIN_PATHS } from "@/lib/auth/admin-paths";
import { redirectWithinApp } from "@/lib/auth/redirect-within-app";

const appUrl = "https://objection.example.eu";
const home = `${appUrl}${ADMIN_PATHS.home}`;

describe("redirectWithinApp", () => {
  it("keeps paths and URLs on the app's own origin", () => {
    expect(redirectWithinApp({ url: "/admin/objections?status=effective", appUrl })).toBe(`${appUrl}/admin/objections?status=effective`);
    expect(redirectWithinApp({ url: `${appUrl}/admin/audit`, appUrl })).toBe(`${appUrl}/admin/audit`);
  });

  it("sends anything off the app's origin to the console's home, however it is spelled", () => {
    for (const url of ["/\\evil.example", "\\\\evil.example", "//evil.example", "/\\/evil.example/x", "https://evil.example/admin", "https://objection.example.eu.evil.example/", "http://objection.example.eu/admin", "javascript:alert(1)", "\t//evil.example"]) {
      expect(redirectWithinApp({ url, appUrl }), url).toBe(home);
    }
  });
});
