import { createHmac } from "node:crypto";

import { describe, expect, it } from "vitest";

import { noticeMessageId } from "@/lib/bounces/notice-message-id";
import { formatVerpAddress, parseVerpAddress, verpAddress, verpSigner } from "@/lib/bounces/verp-address";

const parts = { local: "bounces", domain: "bounce.example.eu" };
const id = "0b7e6c1e-9d4f-4c1a-8f43-2d6f3b2a9c10";
const hex = id.replaceAll("-", "");
const current = "current-link-secret-current-link-secret-0000";
const previous = "previous-link-secret-previous-link-secret-00";
const sentAt = new Date("2026-12-06T13:00:00Z");
const day = Math.floor(sentAt.getTime() / 86_400_000);

const signed = (address: string) => {
  const parsed = parseVerpAddress(address, parts);
  if (!parsed?.signed) throw new Error(`${address} is not a signed VERP address`);
  return parsed.signed;
};

describe("VERP address", () => {
  it("makes local+<id>.<day>.<mac>@domain, in lower case and within SMTP's 64 characters of local part, and reads id and day back", () => {
    const address = verpAddress({ notificationId: id, sentAt, secret: current, ...parts });
    expect(address).toMatch(new RegExp(`^bounces\\+${hex}\\.${day}\\.[0-9a-v]{12}@bounce\\.example\\.eu$`));
    expect(address.split("@")[0]!.length).toBeLessThanOrEqual(64);
    expect(address).toBe(address.toLowerCase());
    expect(parseVerpAddress(address, parts)).toMatchObject({ notificationId: id, signed: { day } });
    expect(verpSigner({ address: signed(address), secrets: [current] })).toBe(current);
  });

  it("is the same address for the same notice and day, and another one the next day", () => {
    const first = verpAddress({ notificationId: id.toUpperCase(), sentAt, secret: current, ...parts });
    expect(verpAddress({ notificationId: id, sentAt: new Date(sentAt.getTime() + 3_600_000), secret: current, ...parts })).toBe(first);
    expect(verpAddress({ notificationId: id, sentAt: new Date(sentAt.getTime() + 86_400_000), secret: current, ...parts })).not.toBe(first);
  });

  it("still verifies once a relay has folded it to upper case", () => {
    const address = verpAddress({ notificationId: id, sentAt, secret: current, ...parts }).toUpperCase();
    expect(parseVerpAddress(address, parts)).toMatchObject({ notificationId: id });
    expect(verpSigner({ address: signed(address), secrets: [current] })).toBe(current);
  });

  it("fails verification for a MAC made with another key, or for a changed id, day or MAC", () => {
    const forged = verpAddress({ notificationId: id, sentAt, secret: "a-forger-s-guess-at-the-link-secret-00000000", ...parts });
    expect(verpSigner({ address: signed(forged), secrets: [current, previous] })).toBeNull();

    const genuine = signed(verpAddress({ notificationId: id, sentAt, secret: current, ...parts }));
    const otherId = signed(verpAddress({ notificationId: "0b7e6c1e-9d4f-4c1a-8f43-2d6f3b2a9c11", sentAt, secret: current, ...parts }));
    expect(verpSigner({ address: { ...otherId, mac: genuine.mac }, secrets: [current] })).toBeNull();
    expect(verpSigner({ address: { ...genuine, day: genuine.day - 40 }, secrets: [current] })).toBeNull();
    const flipped = genuine.mac.slice(0, -1) + (genuine.mac.endsWith("0") ? "1" : "0");
    expect(verpSigner({ address: { ...genuine, mac: flipped }, secrets: [current] })).toBeNull();
  });

  it("verifies an address signed with an older key while that key is still in LINK_SECRETS, and not once it is gone", () => {
    const address = signed(verpAddress({ notificationId: id, sentAt, secret: previous, ...parts }));
    expect(verpSigner({ address, secrets: [current, previous] })).toBe(previous);
    expect(verpSigner({ address, secrets: [current] })).toBeNull();
  });

  it("uses a key of its own, not the link key: the MAC is not the link key's HMAC of the same text", () => {
    const { mac } = signed(verpAddress({ notificationId: id, sentAt, secret: current, ...parts }));
    const raw = createHmac("sha256", current).update(`${hex}.${day}`).digest();
    expect(mac).not.toBe((raw.readBigUInt64BE(0) >> 4n).toString(32).padStart(12, "0"));
  });

  it("reads the old format (local+<uuid>@domain, no MAC) as unsigned", () => {
    expect(parseVerpAddress(`bounces+${id}@bounce.example.eu`, parts)).toEqual({ notificationId: id, signed: null });
    expect(parseVerpAddress(`BOUNCES+${id.toUpperCase()}@Bounce.Example.EU`, parts)).toEqual({ notificationId: id, signed: null });
  });

  it("accepts angle brackets, spaces and a trailing root dot, as SMTP may carry them", () => {
    const address = verpAddress({ notificationId: id, sentAt, secret: current, ...parts });
    expect(parseVerpAddress(` <${address}> `, parts)?.notificationId).toBe(id);
    expect(parseVerpAddress(`${address}.`, parts)?.notificationId).toBe(id);
    expect(parseVerpAddress(` <bounces+${id}@bounce.example.eu> `, parts)?.notificationId).toBe(id);
  });

  it("refuses addresses that are not ours, and a MAC or day of the wrong shape", () => {
    const address = verpAddress({ notificationId: id, sentAt, secret: current, ...parts });
    const local = address.split("@")[0]!;
    const mac = local.split(".")[2]!;
    for (const other of [
      `${local}@other.example.eu`,
      `${local}@bounce.example.eu.evil.test`,
      `other+${local.slice("bounces+".length)}@bounce.example.eu`,
      `x${local}@bounce.example.eu`,
      `${local.slice(0, -1)}@bounce.example.eu`,
      `${local}0@bounce.example.eu`,
      `${local.slice(0, -1)}w@bounce.example.eu`,
      `bounces+${hex}.${day}@bounce.example.eu`,
      `bounces+${hex}..${mac}@bounce.example.eu`,
      `bounces+${hex}.x${day}.${mac}@bounce.example.eu`,
      `bounces+${hex.slice(1)}.${day}.${mac}@bounce.example.eu`,
      `bounces+${id}.${day}.${mac}@bounce.example.eu`,
      `bounces+not-a-uuid@bounce.example.eu`,
      `bounces+${id}x@bounce.example.eu`,
      `bounces@bounce.example.eu`,
      "",
    ]) {
      expect(parseVerpAddress(other, parts), other).toBeNull();
    }
  });

  it("treats the configured local part and domain literally, not as patterns", () => {
    const dotted = { local: "b.x", domain: "bounce.example.eu" };
    const address = verpAddress({ notificationId: id, sentAt, secret: current, ...dotted });
    expect(parseVerpAddress(address.replace("b.x", "bax"), dotted)).toBeNull();
    expect(parseVerpAddress(address, dotted)?.notificationId).toBe(id);
    expect(parseVerpAddress(verpAddress({ notificationId: id, sentAt, secret: current, ...parts }).replace("bounce.example", "bounceXexample"), parts)).toBeNull();
  });

  it("refuses to make an address from an id that is not a UUID", () => {
    expect(() => verpAddress({ notificationId: "42", sentAt, secret: current, ...parts })).toThrow(TypeError);
  });
});

describe("a notice's Message-ID", () => {
  it("names the notice and its day, with a MAC of its own: it does not give away the VERP address's", () => {
    const messageId = noticeMessageId({ notificationId: id, sentAt, domain: "objection.test", secret: current });
    expect(messageId).toMatch(new RegExp(`^<notice\\.${hex}\\.${day}\\.[0-9a-v]{12}@objection\\.test>$`));
    expect(noticeMessageId({ notificationId: id, sentAt, domain: "objection.test", secret: current })).toBe(messageId);
    const { mac } = signed(verpAddress({ notificationId: id, sentAt, secret: current, ...parts }));
    expect(messageId).not.toContain(mac);
    expect(noticeMessageId({ notificationId: id, sentAt, domain: "objection.test", secret: previous })).not.toBe(messageId);
  });
});

describe("formatVerpAddress", () => {
  it("writes out again exactly the address parseVerpAddress read, signed or of the old format", () => {
    const made = verpAddress({ notificationId: id, sentAt, secret: current, ...parts });
    const old = `bounces+${id}@bounce.example.eu`;
    for (const address of [made, old]) expect(formatVerpAddress({ address: parseVerpAddress(address, parts)!, ...parts })).toBe(address);
  });
});
