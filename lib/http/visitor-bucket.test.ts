import { describe, expect, it } from "vitest";

import { visitorBucket } from "@/lib/http/visitor-bucket";

describe("the rate-limit bucket of a visitor's address", () => {
  it("is the address itself for IPv4", () => {
    expect(visitorBucket("203.0.113.7")).toBe("203.0.113.7");
    expect(visitorBucket("203.0.113.8")).not.toBe(visitorBucket("203.0.113.7"));
  });

  it("is the /64 for IPv6: every address a household or a host is given shares one bucket", () => {
    const bucket = visitorBucket("2001:db8:1:2::1");
    expect(bucket).toBe("2001:db8:1:2::/64");
    expect(visitorBucket("2001:db8:1:2:ffff:ffff:ffff:fffe")).toBe(bucket);
    expect(visitorBucket("2001:0DB8:0001:0002:0:0:0:abcd")).toBe(bucket);
    expect(visitorBucket("2001:db8:1:3::1")).not.toBe(bucket);
  });

  it("keys IPv4-mapped IPv6 as the IPv4 address, not as a /64 every IPv4 visitor would share", () => {
    expect(visitorBucket("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(visitorBucket("::ffff:203.0.113.8")).toBe("203.0.113.8");
  });

  it("keeps a value that is no address as it is, and null as null", () => {
    expect(visitorBucket("not-an-address")).toBe("not-an-address");
    expect(visitorBucket(null)).toBeNull();
  });
});
