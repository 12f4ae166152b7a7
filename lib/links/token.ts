import "server-only";

import { createHmac, timingSafeEqual } from "node:crypto";

import { z } from "zod";

// Binary layout, so links stay short in emails and SMS-length previews:
// version (1) | subject kind (1) | subject uuid (16) | expiry, unix seconds (4) | HMAC-SHA256 (32)
const VERSION = 1;
const PAYLOAD_BYTES = 22;
const SIGNATURE_BYTES = 32;
/** Every token has this many characters, all base64url. */
export const TOKEN_LENGTH = Math.ceil(((PAYLOAD_BYTES + SIGNATURE_BYTES) * 4) / 3);

// The index of a kind is what a token carries: append new kinds, never reorder. A token's kind is its
// purpose: `notification` and `member` open the objection form (/o/), `objection` opens that
// objection's status page (/s/), where it can be withdrawn.
const SUBJECT_KINDS = ["notification", "member", "objection"] as const;

export type TLinkSubjectKind = (typeof SUBJECT_KINDS)[number];

export type TLinkSubject = { kind: TLinkSubjectKind; id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ZLinkToken = z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${TOKEN_LENGTH}}$`));

export type TVerifiedLink = { ok: true; subject: TLinkSubject; expiresAt: Date } | { ok: false; reason: "malformed" | "bad_signature" | "expired" };

export type TVerifiedLinkFor<TKind extends TLinkSubjectKind> =
  | { ok: true; subject: { kind: TKind; id: string }; expiresAt: Date }
  | { ok: false; reason: "malformed" | "bad_signature" | "expired" | "wrong_purpose" };

const sign = (payload: Buffer, secret: string) => createHmac("sha256", secret).update(payload).digest();

const uuidToBytes = (uuid: string) => Buffer.from(uuid.replaceAll("-", ""), "hex");

const bytesToUuid = (bytes: Buffer) => {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

export const mintLinkToken = ({ subject, expiresAt, secret }: { subject: TLinkSubject; expiresAt: Date; secret: string }) => {
  // A plain regex, not a zod schema: this runs once per email in a campaign.
  if (!UUID.test(subject.id)) throw new TypeError("A link subject id must be a UUID");
  const idBytes = uuidToBytes(subject.id);
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(VERSION, 0);
  payload.writeUInt8(SUBJECT_KINDS.indexOf(subject.kind), 1);
  idBytes.copy(payload, 2);
  payload.writeUInt32BE(Math.floor(expiresAt.getTime() / 1000), 18);
  return Buffer.concat([payload, sign(payload, secret)]).toString("base64url");
};

export const verifyLinkToken = ({ token, secret, now = new Date() }: { token: string; secret: string; now?: Date }): TVerifiedLink => {
  if (!ZLinkToken.safeParse(token).success) return { ok: false, reason: "malformed" };
  const bytes = Buffer.from(token, "base64url");
  if (bytes.length !== PAYLOAD_BYTES + SIGNATURE_BYTES) return { ok: false, reason: "malformed" };

  const payload = bytes.subarray(0, PAYLOAD_BYTES);
  if (!timingSafeEqual(bytes.subarray(PAYLOAD_BYTES), sign(payload, secret))) return { ok: false, reason: "bad_signature" };

  const kind = SUBJECT_KINDS[payload.readUInt8(1)];
  if (payload.readUInt8(0) !== VERSION || !kind) return { ok: false, reason: "malformed" };

  const expiresAt = new Date(payload.readUInt32BE(18) * 1000);
  if (expiresAt <= now) return { ok: false, reason: "expired" };

  return { ok: true, subject: { kind, id: bytesToUuid(payload.subarray(2, 18)) }, expiresAt };
};

/**
 * Verifies a token and refuses one minted for another purpose: a status token cannot open the
 * objection form, and a notice link cannot withdraw an objection.
 */
export const verifyLinkTokenFor = <TKind extends TLinkSubjectKind>({
  token,
  secret,
  kinds,
  now,
}: {
  token: string;
  secret: string;
  kinds: readonly TKind[];
  now?: Date;
}): TVerifiedLinkFor<TKind> => {
  const verified = verifyLinkToken({ token, secret, now });
  if (!verified.ok) return verified;
  const { kind, id } = verified.subject;
  if (!(kinds as readonly TLinkSubjectKind[]).includes(kind)) return { ok: false, reason: "wrong_purpose" };
  return { ok: true, subject: { kind: kind as TKind, id }, expiresAt: verified.expiresAt };
};
