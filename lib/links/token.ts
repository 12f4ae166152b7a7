import "server-only";

import { createHash, createHmac, timingSafeEqual } from "node:crypto";

import { z } from "zod";

// Binary layout, so links stay short in emails and SMS-length previews. Version 2, minted now:
//   version (1) | subject kind (1) | key id (1) | subject uuid (16) | expiry, unix seconds (4) | HMAC-SHA256, first 31 bytes
// Version 1, minted before keys could rotate, still verified so links already sent keep working:
//   version (1) | subject kind (1) | subject uuid (16) | expiry, unix seconds (4) | HMAC-SHA256 (32)
// The key id byte costs one byte of the MAC (248 bits left, far beyond forgery), so both versions
// are 54 bytes: every token, old or new, is the same 72 characters, and nothing that checks a
// token's length (ZLinkToken, the campaign renderer's placeholder, the page template) changes.
const VERSION = 2;
const TOKEN_BYTES = 54;
/** Every token has this many characters, all base64url. */
export const TOKEN_LENGTH = Math.ceil((TOKEN_BYTES * 4) / 3);

type TLayout = { payloadBytes: number; keyIdAt: number | null; idAt: number; expiryAt: number };

const LAYOUTS: Record<number, TLayout> = {
  1: { payloadBytes: 22, keyIdAt: null, idAt: 2, expiryAt: 18 },
  2: { payloadBytes: 23, keyIdAt: 2, idAt: 3, expiryAt: 19 },
};
const CURRENT = LAYOUTS[VERSION]!;

// The index of a kind is what a token carries: append new kinds, never reorder. A token's kind is its
// purpose: `notification` and `member` open the objection form (/o/), `objection` opens that
// objection's status page (/s/), where it can be withdrawn, `address` is a link emailed to an
// address that has no account (its id is an AddressLink row's), and `unsubscribe` is a notice's
// "stop these emails" link (/u/, its id the notification's): it stops emails and never objects,
// and no objection link can stop emails.
const SUBJECT_KINDS = ["notification", "member", "objection", "address", "unsubscribe"] as const;

export type TLinkSubjectKind = (typeof SUBJECT_KINDS)[number];

export type TLinkSubject = { kind: TLinkSubjectKind; id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ZLinkToken = z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${TOKEN_LENGTH}}$`));

export type TVerifiedLink = { ok: true; subject: TLinkSubject; expiresAt: Date } | { ok: false; reason: "malformed" | "bad_signature" | "expired" };

export type TVerifiedLinkFor<TKind extends TLinkSubjectKind> =
  | { ok: true; subject: { kind: TKind; id: string }; expiresAt: Date }
  | { ok: false; reason: "malformed" | "bad_signature" | "expired" | "wrong_purpose" };

/**
 * The byte a token carries to name the key that signed it: a fingerprint, not the key. One byte
 * leaves a 1 in 256 chance that two keys share it, so verification tries every key with the id.
 */
export const linkKeyId = (secret: string) => createHash("sha256").update(`link-key-id:${secret}`).digest().readUInt8(0);

const sign = (payload: Buffer, secret: string) => createHmac("sha256", secret).update(payload).digest();

const uuidToBytes = (uuid: string) => Buffer.from(uuid.replaceAll("-", ""), "hex");

const bytesToUuid = (bytes: Buffer) => {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** Mints a token signed with `secret`: always the current key, `env().LINK_SECRET`. */
export const mintLinkToken = ({ subject, expiresAt, secret }: { subject: TLinkSubject; expiresAt: Date; secret: string }) => {
  // A plain regex, not a zod schema: this runs once per email in a campaign.
  if (!UUID.test(subject.id)) throw new TypeError("A link subject id must be a UUID");
  const token = Buffer.alloc(TOKEN_BYTES);
  token.writeUInt8(VERSION, 0);
  token.writeUInt8(SUBJECT_KINDS.indexOf(subject.kind), 1);
  token.writeUInt8(linkKeyId(secret), CURRENT.keyIdAt!);
  uuidToBytes(subject.id).copy(token, CURRENT.idAt);
  token.writeUInt32BE(Math.floor(expiresAt.getTime() / 1000), CURRENT.expiryAt);
  const payload = token.subarray(0, CURRENT.payloadBytes);
  sign(payload, secret).copy(token, CURRENT.payloadBytes, 0, TOKEN_BYTES - CURRENT.payloadBytes);
  return token.toString("base64url");
};

/**
 * Verifies a token against `secrets`, every key still accepted (`env().LINK_SECRETS`, current
 * first): a link signed with a key that was rotated out of the list no longer opens.
 */
export const verifyLinkToken = ({ token, secrets, now = new Date() }: { token: string; secrets: readonly string[]; now?: Date }): TVerifiedLink => {
  if (!ZLinkToken.safeParse(token).success) return { ok: false, reason: "malformed" };
  const bytes = Buffer.from(token, "base64url");
  if (bytes.length !== TOKEN_BYTES) return { ok: false, reason: "malformed" };

  // A version we do not know is one no key of ours signed: the same answer as a changed byte.
  const layout = LAYOUTS[bytes.readUInt8(0)];
  if (!layout) return { ok: false, reason: "bad_signature" };
  const payload = bytes.subarray(0, layout.payloadBytes);
  const signature = bytes.subarray(layout.payloadBytes);
  // Version 1 tokens name no key: each configured key is tried, so links sent before rotation work.
  const keyId = layout.keyIdAt === null ? null : payload.readUInt8(layout.keyIdAt);
  const candidates = keyId === null ? secrets : secrets.filter((secret) => linkKeyId(secret) === keyId);
  const signedBy = candidates.some((secret) => timingSafeEqual(signature, sign(payload, secret).subarray(0, signature.length)));
  if (!signedBy) return { ok: false, reason: "bad_signature" };

  const kind = SUBJECT_KINDS[payload.readUInt8(1)];
  if (!kind) return { ok: false, reason: "malformed" };

  const expiresAt = new Date(payload.readUInt32BE(layout.expiryAt) * 1000);
  if (expiresAt <= now) return { ok: false, reason: "expired" };

  return { ok: true, subject: { kind, id: bytesToUuid(payload.subarray(layout.idAt, layout.idAt + 16)) }, expiresAt };
};

/**
 * Verifies a token and refuses one minted for another purpose: a status token cannot open the
 * objection form, and a notice link cannot withdraw an objection.
 */
export const verifyLinkTokenFor = <TKind extends TLinkSubjectKind>({
  token,
  secrets,
  kinds,
  now,
}: {
  token: string;
  secrets: readonly string[];
  kinds: readonly TKind[];
  now?: Date;
}): TVerifiedLinkFor<TKind> => {
  const verified = verifyLinkToken({ token, secrets, now });
  if (!verified.ok) return verified;
  const { kind, id } = verified.subject;
  if (!(kinds as readonly TLinkSubjectKind[]).includes(kind)) return { ok: false, reason: "wrong_purpose" };
  return { ok: true, subject: { kind: kind as TKind, id }, expiresAt: verified.expiresAt };
};
