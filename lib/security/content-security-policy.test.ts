import { describe, expect, it } from "vitest";

import { contentSecurityPolicy, newNonce, scriptNonce, securityHeaders, STRICT_TRANSPORT_SECURITY } from "@/lib/security/content-security-policy";

const directives = (policy: string) => new Map(policy.split("; ").map((directive) => [directive.split(" ")[0], directive.split(" ").slice(1).join(" ")]));

describe("the security headers of a page", () => {
  it("lets scripts run only with the response's nonce, and forbids framing, plugins, <base> and foreign form targets", () => {
    const policy = directives(contentSecurityPolicy({ nonce: "abc123_-", development: false, https: false }));
    expect(policy.get("script-src")).toBe("'self' 'nonce-abc123_-' 'strict-dynamic'");
    expect(policy.get("default-src")).toBe("'self'");
    expect(policy.get("style-src")).toBe("'self' 'unsafe-inline'");
    expect(policy.get("img-src")).toBe("'self' data: blob:");
    expect(policy.get("connect-src")).toBe("'self'");
    expect(policy.get("frame-ancestors")).toBe("'none'");
    expect(policy.get("object-src")).toBe("'none'");
    expect(policy.get("base-uri")).toBe("'none'");
    expect(policy.get("form-action")).toBe("'self'");
  });

  it("lets forms lead to the origins it is given, and nowhere else", () => {
    const policy = directives(contentSecurityPolicy({ nonce: "n", development: false, https: true, formActionOrigins: ["https://login.example.com"] }));
    expect(policy.get("form-action")).toBe("'self' https://login.example.com");
  });

  it("allows eval only in development", () => {
    expect(contentSecurityPolicy({ nonce: "n", development: true, https: false })).toContain("script-src 'self' 'nonce-n' 'strict-dynamic' 'unsafe-eval';");
    expect(contentSecurityPolicy({ nonce: "n", development: false, https: true })).not.toContain("unsafe-eval");
  });

  it("adds HSTS and upgrades insecure requests only when the app is served over https", () => {
    const secure = securityHeaders({ nonce: "n", development: false, https: true });
    expect(secure["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
    expect(STRICT_TRANSPORT_SECURITY).toBe("max-age=63072000; includeSubDomains");
    expect(directives(secure["content-security-policy"]!).has("upgrade-insecure-requests")).toBe(true);

    const plain = securityHeaders({ nonce: "n", development: false, https: false });
    expect(Object.keys(plain)).toEqual(["content-security-policy"]);
    expect(directives(plain["content-security-policy"]!).has("upgrade-insecure-requests")).toBe(false);
  });

  it("makes a new nonce every time, in an alphabet that needs no escaping", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("reads back the script nonce of a policy, as Next.js does", () => {
    const nonce = newNonce();
    expect(scriptNonce(contentSecurityPolicy({ nonce, development: false, https: true }))).toBe(nonce);
    expect(scriptNonce("default-src 'self'; style-src 'nonce-style'")).toBeNull();
    expect(scriptNonce("frame-ancestors 'none'")).toBeNull();
    expect(scriptNonce(null)).toBeNull();
  });
});
