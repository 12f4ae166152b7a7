import { describe, expect, it } from "vitest";

import { notificationIdFromVerp, verpAddress } from "@/lib/bounces/verp-address";

const parts = { local: "bounces", domain: "bounce.example.eu" };
const id = "0b7e6c1e-9d4f-4c1a-8f43-2d6f3b2a9c10";

describe("VERP address", () => {
  it("makes local+id@domain and reads the id back", () => {
    const address = verpAddress({ notificationId: id, ...parts });
    expect(address).toBe(`bounces+${id}@bounce.example.eu`);
    expect(notificationIdFromVerp(address, parts)).toBe(id);
  });

  it("writes and reads the id in lower case", () => {
    const address = verpAddress({ notificationId: id.toUpperCase(), ...parts });
    expect(address).toBe(`bounces+${id}@bounce.example.eu`);
    expect(notificationIdFromVerp(`BOUNCES+${id.toUpperCase()}@Bounce.Example.EU`, parts)).toBe(id);
  });

  it("accepts angle brackets, spaces and a trailing root dot, as SMTP may carry them", () => {
    expect(notificationIdFromVerp(` <bounces+${id}@bounce.example.eu> `, parts)).toBe(id);
    expect(notificationIdFromVerp(`bounces+${id}@bounce.example.eu.`, parts)).toBe(id);
  });

  it("refuses addresses that are not ours", () => {
    expect(notificationIdFromVerp(`bounces+${id}@other.example.eu`, parts)).toBeNull();
    expect(notificationIdFromVerp(`bounces+${id}@bounce.example.eu.evil.test`, parts)).toBeNull();
    expect(notificationIdFromVerp(`other+${id}@bounce.example.eu`, parts)).toBeNull();
    expect(notificationIdFromVerp(`xbounces+${id}@bounce.example.eu`, parts)).toBeNull();
    expect(notificationIdFromVerp(`bounces+not-a-uuid@bounce.example.eu`, parts)).toBeNull();
    expect(notificationIdFromVerp(`bounces+${id}x@bounce.example.eu`, parts)).toBeNull();
    expect(notificationIdFromVerp(`bounces@bounce.example.eu`, parts)).toBeNull();
    expect(notificationIdFromVerp("", parts)).toBeNull();
  });

  it("treats the configured local part and domain literally, not as patterns", () => {
    const dotted = { local: "b.x", domain: "bounce.example.eu" };
    expect(notificationIdFromVerp(`bax+${id}@bounce.example.eu`, dotted)).toBeNull();
    expect(notificationIdFromVerp(`b.x+${id}@bounce.example.eu`, dotted)).toBe(id);
    expect(notificationIdFromVerp(`bounces+${id}@bounceXexample.eu`, parts)).toBeNull();
  });

  it("refuses to make an address from an id that is not a UUID", () => {
    expect(() => verpAddress({ notificationId: "42", ...parts })).toThrow(TypeError);
  });
});
