import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { mintLinkToken, verifyLinkToken, verifyLinkTokenFor } from "@/lib/links/token";

const secret = "a-secret-of-at-least-thirty-two-chars!";
const subject = { kind: "notification" as const, id: "0b7e6c1e-9d4f-4c1a-8f43-2d6f3b2a9c10" };
const inOneDay = () => new Date(Date.now() + 86_400_000);
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** The token with the character at `index` replaced by a different base64url character. */
const changeCharAt = (token: string, index: number) => {
  const original = token.charAt(index);
  const replacement = BASE64URL.charAt((BASE64URL.indexOf(original) + 1) % BASE64URL.length);
  return `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`;
};

const mint = (overrides: { expiresAt?: Date; secret?: string; subject?: typeof subject | { kind: "member" | "objection"; id: string } } = {}) =>
  mintLinkToken({ subject: overrides.subject ?? subject, expiresAt: overrides.expiresAt ?? inOneDay(), secret: overrides.secret ?? secret });

describe("link tokens", () => {
  it("round-trips the subject and the expiry", () => {
    const expiresAt = inOneDay();
    const verified = verifyLinkToken({ token: mintLinkToken({ subject, expiresAt, secret }), secret });
    expect(verified).toEqual({ ok: true, subject, expiresAt: new Date(Math.floor(expiresAt.getTime() / 1000) * 1000) });
  });

  it("round-trips a member subject", () => {
    const member = { kind: "member" as const, id: randomUUID() };
    const verified = verifyLinkToken({ token: mint({ subject: member }), secret });
    expect(verified).toMatchObject({ ok: true, subject: member });
  });

  it("rejects a token whose signature was tampered with as bad_signature", () => {
    const token = mint();
    const tampered = changeCharAt(token, token.length - 1);
    expect(tampered).not.toBe(token);
    expect(verifyLinkToken({ token: tampered, secret })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects a token with one character of its payload changed as bad_signature", () => {
    const token = mint();
    // The first 29 characters encode the payload: version, subject kind, subject id, expiry.
    for (const index of [0, 5, 20, 27]) {
      expect(verifyLinkToken({ token: changeCharAt(token, index), secret })).toEqual({ ok: false, reason: "bad_signature" });
    }
  });

  it("rejects a truncated token as malformed", () => {
    const token = mint();
    expect(verifyLinkToken({ token: token.slice(0, -1), secret })).toEqual({ ok: false, reason: "malformed" });
    expect(verifyLinkToken({ token: token.slice(0, token.length / 2), secret })).toEqual({ ok: false, reason: "malformed" });
  });

  it("rejects garbage and the empty string as malformed", () => {
    const token = mint();
    for (const garbage of ["", "not-a-token", "%%%", `${token}x`, `${token.slice(0, -1)}!`, "<script>alert(1)</script>"]) {
      expect(verifyLinkToken({ token: garbage, secret })).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("rejects a token whose expiry is in the past as expired", () => {
    const token = mint({ expiresAt: new Date(Date.now() - 60_000) });
    expect(verifyLinkToken({ token, secret })).toEqual({ ok: false, reason: "expired" });
  });

  it("rejects a token checked after its expiry as expired", () => {
    const expiresAt = inOneDay();
    const token = mint({ expiresAt });
    expect(verifyLinkToken({ token, secret, now: new Date(expiresAt.getTime() - 60_000) }).ok).toBe(true);
    expect(verifyLinkToken({ token, secret, now: new Date(expiresAt.getTime() + 60_000) })).toEqual({ ok: false, reason: "expired" });
  });

  it("rejects a token minted with another secret as bad_signature", () => {
    const token = mint({ secret: "another-secret-of-at-least-thirty-two-chars" });
    expect(verifyLinkToken({ token, secret })).toEqual({ ok: false, reason: "bad_signature" });
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
    expect(verifyLinkToken({ token: mint({ subject: objection }), secret })).toMatchObject({ ok: true, subject: objection });
  });
});

describe("link tokens scoped to a purpose", () => {
  const FORM_KINDS = ["notification", "member"] as const;
  const STATUS_KINDS = ["objection"] as const;

  it("accepts a token of an allowed kind", () => {
    const status = { kind: "objection" as const, id: randomUUID() };
    expect(verifyLinkTokenFor({ token: mint({ subject: status }), secret, kinds: STATUS_KINDS })).toMatchObject({ ok: true, subject: status });
    expect(verifyLinkTokenFor({ token: mint(), secret, kinds: FORM_KINDS })).toMatchObject({ ok: true, subject });
    expect(verifyLinkTokenFor({ token: mint({ subject: { kind: "member", id: randomUUID() } }), secret, kinds: FORM_KINDS }).ok).toBe(true);
  });

  it("refuses a status token where the objection form is opened, and a notice or member token on the status page", () => {
    const status = mint({ subject: { kind: "objection", id: randomUUID() } });
    expect(verifyLinkTokenFor({ token: status, secret, kinds: FORM_KINDS })).toEqual({ ok: false, reason: "wrong_purpose" });
    expect(verifyLinkTokenFor({ token: mint(), secret, kinds: STATUS_KINDS })).toEqual({ ok: false, reason: "wrong_purpose" });
    expect(verifyLinkTokenFor({ token: mint({ subject: { kind: "member", id: randomUUID() } }), secret, kinds: STATUS_KINDS })).toEqual({ ok: false, reason: "wrong_purpose" });
  });

  it("cannot be turned into another purpose by changing the kind byte: the signature no longer matches", () => {
    const token = mint();
    const bytes = Buffer.from(token, "base64url");
    bytes.writeUInt8(2, 1);
    expect(verifyLinkTokenFor({ token: bytes.toString("base64url"), secret, kinds: STATUS_KINDS })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("still reports tampered, expired and malformed tokens as such", () => {
    const status = mint({ subject: { kind: "objection", id: randomUUID() } });
    expect(verifyLinkTokenFor({ token: changeCharAt(status, status.length - 1), secret, kinds: STATUS_KINDS })).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyLinkTokenFor({ token: mint({ subject: { kind: "objection", id: randomUUID() }, expiresAt: new Date(Date.now() - 1000) }), secret, kinds: STATUS_KINDS })).toEqual({
      ok: false,
      reason: "expired",
    });
    expect(verifyLinkTokenFor({ token: "nope", secret, kinds: STATUS_KINDS })).toEqual({ ok: false, reason: "malformed" });
  });
});
