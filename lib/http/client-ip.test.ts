import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { clientIp, SOCKET_ADDRESS_HEADER } from "@/lib/http/client-ip";

const headers = (forwardedFor: string | null, socketAddress?: string) =>
  new Headers({ ...(forwardedFor === null ? {} : { "x-forwarded-for": forwardedFor }), ...(socketAddress ? { [SOCKET_ADDRESS_HEADER]: socketAddress } : {}) });

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

  it("with TRUSTED_PROXIES=0, is the socket's address Next.js recorded, whatever the client wrote in X-Forwarded-For", () => {
    expect(clientIp(headers("6.6.6.6", "203.0.113.9"), 0)).toBe("203.0.113.9");
    expect(clientIp(headers("6.6.6.6, 7.7.7.7", "203.0.113.9"), 0)).toBe("203.0.113.9");
  });

  it("with TRUSTED_PROXIES=0 and no socket address recorded, is null (one shared budget), not the client's header", () => {
    expect(clientIp(headers("6.6.6.6"), 0)).toBeNull();
  });

  it("gives an IPv4 address written as IPv4-mapped IPv6 as the IPv4 address, from the socket or a proxy", () => {
    expect(clientIp(headers(null, "::ffff:203.0.113.9"), 0)).toBe("203.0.113.9");
    expect(clientIp(headers("::ffff:198.51.100.4"), 1)).toBe("198.51.100.4");
  });
});

describe("the Next.js patch (patches/next+*.patch)", () => {
  it("is applied: the installed server records the socket's address in its own header on every request", () => {
    const baseServer = readFileSync("node_modules/next/dist/server/base-server.js", "utf8");
    expect(baseServer.includes(`req.headers['${SOCKET_ADDRESS_HEADER}'] = socketAddress`)).toBe(true);
  });
});
