import { describe, expect, it } from "vitest";

import { clientIp } from "@/lib/http/client-ip";

const headers = (forwardedFor: string | null) => new Headers(forwardedFor === null ? {} : { "x-forwarded-for": forwardedFor });

describe("the visitor's address", () => {
  it("takes the entry the nearest proxy appended, not what the client wrote before it", () => {
    expect(clientIp(headers("6.6.6.6, 203.0.113.7"), 1)).toBe("203.0.113.7");
    expect(clientIp(headers("203.0.113.7"), 1)).toBe("203.0.113.7");
  });

  it("behind two proxies, takes the address the outer one saw", () => {
    expect(clientIp(headers("6.6.6.6, 203.0.113.7, 10.0.0.2"), 2)).toBe("203.0.113.7");
  });

  it("is null when the header is missing or empty", () => {
    expect(clientIp(headers(null), 1)).toBeNull();
    expect(clientIp(headers(" , "), 1)).toBeNull();
  });
});
