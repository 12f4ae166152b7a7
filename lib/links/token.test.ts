import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { TEMPLATE_TOKEN } from "@/lib/links/link-page-template";
import { linkKeyId, mintLinkToken, TOKEN_LENGTH, verifyLinkToken, verifyLinkTokenFor, ZLinkToken } from "@/lib/links/token";

const secret = "a-secret-of-at-least-thirty-two-chars!";
const secrets = [secret];
const subject = { kind: "notification" as const, id: "0b7e6c1e-9d4f-4c1a-8f43-2d6f3b2a9c10" };
const inOneDay = () => new Date(Date.now() + 86_400_000);
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** The token with the character at `index` replaced by a different base64url character. */
const changeCharAt = (token: string, index: number) => {
  const original = token.charAt(index);
  const replacement = BASE64URL.charAt((BASE64URL.indexOf(original) + 1) % BASE64URL.length);
  return `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`;
};

const mint = (overrides: { expiresAt?: Date; secret?: string; subject?: typeof subject | { kind: "member" | "objection" | "address"; id: string } } = {}) =>
  mintLinkToken({ subject: overrides.subject ?? subject, expiresAt: overrides.expiresAt ?? inOneDay(), secret: overrides.secret ?? secret });

describe("link tokens", () => {
  it("round-trips the subject and the expiry", () => {
    const expiresAt = inOneDay();
    const verified = verifyLinkToken({ token: mintLinkToken({ subject, expiresAt, secret }), secrets });
    expect(verified).toEqual({ ok: true, subject, expiresAt: new Date(Math.floor(expiresAt.getTime() / 1000) * 1000) });
  });

  it("round-trips a member subject", () => {
    const member = { kind: "member" as const, id: randomUUID() };
    const verified = verifyLinkToken({ token: mint({ subject: member }), secrets });
    expect(verified).toMatchObject({ ok: true, subject: member });
  });

  it("rejects a token whose signature was tampered with as bad_signature", () => {
    const token = mint();
    const tampered = changeCharAt(token, token.length - 1);
    expect(tampered).not.toBe(token);
    expect(verifyLinkToken({ token: tampered, secrets })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects a token with one character of its payload changed as bad_signature", () => {
    const token = mint();
    // The first 30 characters encode the payload: version, subject kind, key id, subject id, expiry.
    for (const index of [0, 5, 20, 27]) {
      expect(verifyLinkToken({ token: changeCharAt(token, index), secrets })).toEqual({ ok: false, reason: "bad_signature" });
    }
  });

  it("rejects a truncated token as malformed", () => {
    const token = mint();
    expect(verifyLinkToken({ token: token.slice(0, -1), secrets })).toEqual({ ok: false, reason: "malformed" });
    expect(verifyLinkToken({ token: token.slice(0, token.length / 2), secrets })).toEqual({ ok: false, reason: "malformed" });
  });

  it("rejects garbage and the empty string as malformed", () => {
    const token = mint();
    for (const garbage of ["", "not-a-token", "%%%", `${token}x`, `${token.slice(0, -1)}!`, "<script>alert(1)</script>"]) {
      expect(verifyLinkToken({ token: garbage, secrets })).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("rejects a token whose expiry is in the past as expired", () => {
    const token = mint({ expiresAt: new Date(Date.now() - 60_000) });
    expect(verifyLinkToken({ token, secrets })).toEqual({ ok: false, reason: "expired" });
  });

  it("rejects a token checked after its expiry as expired", () => {
    const expiresAt = inOneDay();
    const token = mint({ expiresAt });
    expect(verifyLinkToken({ token, secrets, now: new Date(expiresAt.getTime() - 60_000) }).ok).toBe(true);
    expect(verifyLinkToken({ token, secrets, now: new Date(expiresAt.getTime() + 60_000) })).toEqual({ ok: false, reason: "expired" });
  });

  it("rejects a token minted with another secret as bad_signature", () => {
    const token = mint({ secret: "another-secret-of-at-least-thirty-two-chars" });
    expect(verifyLinkToken({ token, secrets })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("carries no email address: 72 base64url characters that decode to ids and an expiry only", () => {
    // Fixed inputs, so the check on the decoded bytes is deterministic.
    const token = mint({ subject: { kind: "member", id: "5d1c2f0e-3b7a-4e2d-9c8b-7a6f5e4d3c2b" }, expiresAt: new Date("2030-01-01T00:00:00Z") });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token).toHaveLength(72);
    expect(token).not.toContain("@");
    const decoded = Buffer.from(token, "base64url");
    expect(decoded).toHaveLength(54);
    expect(decoded.toString("latin1")).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/);
    expect(decoded.toString("utf8")).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/);
  });

  it("round-trips an objection subject (a status token)", () => {
    const objection = { kind: "objection" as const, id: randomUUID() };
    expect(verifyLinkToken({ token: mint({ subject: objection }), secrets })).toMatchObject({ ok: true, subject: objection });
  });
});

describe("link tokens scoped to a purpose", () => {
  const FORM_KINDS = ["notification", "member"] as const;
  const STATUS_KINDS = ["objection"] as const;

  it("accepts a token of an allowed kind", () => {
    const status = { kind: "objection" as const, id: randomUUID() };
    expect(verifyLinkTokenFor({ token: mint({ subject: status }), secrets, kinds: STATUS_KINDS })).toMatchObject({ ok: true, subject: status });
    expect(verifyLinkTokenFor({ token: mint(), secrets, kinds: FORM_KINDS })).toMatchObject({ ok: true, subject });
    expect(verifyLinkTokenFor({ token: mint({ subject: { kind: "member", id: randomUUID() } }), secrets, kinds: FORM_KINDS }).ok).toBe(true);
  });

  it("refuses a status token where the objection form is opened, and a notice or member token on the status page", () => {
    const status = mint({ subject: { kind: "objection", id: randomUUID() } });
    expect(verifyLinkTokenFor({ token: status, secrets, kinds: FORM_KINDS })).toEqual({ ok: false, reason: "wrong_purpose" });
    expect(verifyLinkTokenFor({ token: mint(), secrets, kinds: STATUS_KINDS })).toEqual({ ok: false, reason: "wrong_purpose" });
    expect(verifyLinkTokenFor({ token: mint({ subject: { kind: "member", id: randomUUID() } }), secrets, kinds: STATUS_KINDS })).toEqual({ ok: false, reason: "wrong_purpose" });
  });

  it("cannot be turned into another purpose by changing the kind byte: the signature no longer matches", () => {
    const token = mint();
    const bytes = Buffer.from(token, "base64url");
    bytes.writeUInt8(2, 1);
    expect(verifyLinkTokenFor({ token: bytes.toString("base64url"), secrets, kinds: STATUS_KINDS })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("still reports tampered, expired and malformed tokens as such", () => {
    const status = mint({ subject: { kind: "objection", id: randomUUID() } });
    expect(verifyLinkTokenFor({ token: changeCharAt(status, status.length - 1), secrets, kinds: STATUS_KINDS })).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyLinkTokenFor({ token: mint({ subject: { kind: "objection", id: randomUUID() }, expiresAt: new Date(Date.now() - 1000) }), secrets, kinds: STATUS_KINDS })).toEqual({
      ok: false,
      reason: "expired",
    });
    expect(verifyLinkTokenFor({ token: "nope", secrets, kinds: STATUS_KINDS })).toEqual({ ok: false, reason: "malformed" });
  });
});

describe("link keys and their rotation", () => {
  const current = "the-current-link-key-of-at-least-32-chars";
  const previous = "the-previous-link-key-of-at-least-32-chars";

  it("names the key that signed a token by its key id, and mints every token at TOKEN_LENGTH", () => {
    const token = mint({ secret: current });
    expect(TOKEN_LENGTH).toBe(72);
    expect(token).toHaveLength(TOKEN_LENGTH);
    const bytes = Buffer.from(token, "base64url");
    expect(bytes.readUInt8(0)).toBe(2);
    expect(bytes.readUInt8(2)).toBe(linkKeyId(current));
  });

  it("verifies a token minted with the previous key while LINK_SECRETS still lists it, and mints nothing new with it", () => {
    const token = mint({ secret: previous });
    expect(verifyLinkToken({ token, secrets: [current, previous] })).toMatchObject({ ok: true, subject });
    expect(verifyLinkTokenFor({ token, secrets: [current, previous], kinds: ["notification"] })).toMatchObject({ ok: true, subject });
    expect(verifyLinkToken({ token: mint({ secret: current }), secrets: [current, previous] })).toMatchObject({ ok: true, subject });
  });

  it("refuses a token minted with a key no longer listed as bad_signature", () => {
    const token = mint({ secret: previous });
    expect(verifyLinkToken({ token, secrets: [current] })).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyLinkToken({ token, secrets: [] })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("tries every listed key whose key id the token names, so two keys sharing an id both work", () => {
    // One byte of id: among a few hundred keys, two share it.
    const byId = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let index = 0; !pair; index++) {
      const key = `a-link-key-of-at-least-thirty-two-chars-${index}`;
      const other = byId.get(linkKeyId(key));
      if (other) pair = [other, key];
      else byId.set(linkKeyId(key), key);
    }
    const [first, second] = pair;
    expect(linkKeyId(first)).toBe(linkKeyId(second));
    expect(verifyLinkToken({ token: mint({ secret: second }), secrets: [first, second] })).toMatchObject({ ok: true, subject });
    expect(verifyLinkToken({ token: mint({ secret: first }), secrets: [first, second] })).toMatchObject({ ok: true, subject });
    expect(verifyLinkToken({ token: mint({ secret: second }), secrets: [first] })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("signs the key id: pointing a token at another listed key does not make it verify", () => {
    const bytes = Buffer.from(mint({ secret: "an-unlisted-key-of-at-least-thirty-two-chars" }), "base64url");
    bytes.writeUInt8(linkKeyId(current), 2);
    expect(verifyLinkToken({ token: bytes.toString("base64url"), secrets: [current, previous] })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuses a version it does not know as bad_signature", () => {
    const bytes = Buffer.from(mint(), "base64url");
    for (const version of [0, 3, 255]) {
      bytes.writeUInt8(version, 0);
      expect(verifyLinkToken({ token: bytes.toString("base64url"), secrets })).toEqual({ ok: false, reason: "bad_signature" });
    }
  });
});

describe("version 1 tokens, minted before tokens named their key", () => {
  // Minted by the version 1 code, exactly as links already in inboxes were. Both expire on 2099-01-01.
  const V1_NOTIFICATION = "AQALfmwenU9MGo9DLW87KpwQ8qUjgKyUc-pM-r1y4QECC-7Vg59XVGimJTo4qrp1BGzWs-oY";
  const V1_OBJECTION = "AQJdHC8OO3pOLZyLem9eTTwr8qUjgJyM8JXRmAGHE2NX6fSZjQK7Vnvjb21WPeJSzkpI5ZtQ";
  const olderSecret = "an-older-secret-of-at-least-thirty-two-chars";
  const expiresAt = new Date("2099-01-01T00:00:00Z");

  it("are the same length as new ones, and ZLinkToken accepts both", () => {
    for (const token of [V1_NOTIFICATION, V1_OBJECTION, mint()]) expect(ZLinkToken.safeParse(token).success).toBe(true);
  });

  it("still verify, with whichever listed key signed them, current or not", () => {
    expect(verifyLinkToken({ token: V1_NOTIFICATION, secrets: [secret] })).toEqual({ ok: true, subject, expiresAt });
    expect(verifyLinkToken({ token: V1_NOTIFICATION, secrets: ["the-new-current-key-of-at-least-32-chars", secret] })).toEqual({ ok: true, subject, expiresAt });
    const objection = { kind: "objection" as const, id: "5d1c2f0e-3b7a-4e2d-9c8b-7a6f5e4d3c2b" };
    expect(verifyLinkTokenFor({ token: V1_OBJECTION, secrets: [secret, olderSecret], kinds: ["objection"] })).toEqual({ ok: true, subject: objection, expiresAt });
    expect(verifyLinkTokenFor({ token: V1_OBJECTION, secrets: [secret, olderSecret], kinds: ["notification", "member"] })).toEqual({ ok: false, reason: "wrong_purpose" });
  });

  it("are refused once their key is no longer listed, when tampered with, and after their expiry", () => {
    expect(verifyLinkToken({ token: V1_OBJECTION, secrets: [secret] })).toEqual({ ok: false, reason: "bad_signature" });
    for (const index of [0, 5, 20, 27, V1_NOTIFICATION.length - 1]) {
      expect(verifyLinkToken({ token: changeCharAt(V1_NOTIFICATION, index), secrets })).toEqual({ ok: false, reason: "bad_signature" });
    }
    expect(verifyLinkToken({ token: V1_NOTIFICATION, secrets, now: new Date("2099-01-02T00:00:00Z") })).toEqual({ ok: false, reason: "expired" });
  });
});

describe("address links", () => {
  it("round-trip, and are refused where only other kinds are accepted", () => {
    const address = { kind: "address" as const, id: randomUUID() };
    const token = mint({ subject: address });
    expect(verifyLinkToken({ token, secrets })).toMatchObject({ ok: true, subject: address });
    expect(verifyLinkTokenFor({ token, secrets, kinds: ["address"] })).toMatchObject({ ok: true, subject: address });
    expect(verifyLinkTokenFor({ token, secrets, kinds: ["notification", "member"] })).toEqual({ ok: false, reason: "wrong_purpose" });
    expect(verifyLinkTokenFor({ token, secrets, kinds: ["objection"] })).toEqual({ ok: false, reason: "wrong_purpose" });
  });

  it("keep the kinds' order: the existing kinds' bytes never change", () => {
    const kindByte = (kind: "notification" | "member" | "objection" | "address") => Buffer.from(mint({ subject: { kind, id: randomUUID() } }), "base64url").readUInt8(1);
    expect([kindByte("notification"), kindByte("member"), kindByte("objection"), kindByte("address")]).toEqual([0, 1, 2, 3]);
  });
});

describe("the link page template's placeholder token", () => {
  it("looks like a token, TOKEN_LENGTH base64url characters, and no key verifies it", () => {
    expect(ZLinkToken.safeParse(TEMPLATE_TOKEN).success).toBe(true);
    expect(verifyLinkToken({ token: TEMPLATE_TOKEN, secrets: [secret, "the-current-link-key-of-at-least-32-chars"] })).toEqual({ ok: false, reason: "bad_signature" });
  });
});
