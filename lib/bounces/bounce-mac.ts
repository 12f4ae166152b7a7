import "server-only";

import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

const DAY_MS = 86_400_000;

/**
 * Characters of MAC in a VERP address and a notice's Message-ID: 12 of base32hex, 60 bits. A forger
 * cannot check a guess offline (the key never leaves us) and learns nothing online (a wrong MAC is
 * answered 250, like a right one): each guess is one whole SMTP transaction. A year of them at 1,000
 * a second is 2^35 guesses, which hit one notice's MAC with a chance of 2^-25. 12 characters also
 * keep the local part within SMTP's 64 (lib/env.ts caps BOUNCE_LOCAL to fit).
 */
export const BOUNCE_MAC_LENGTH = 12;

/** Days since 1970-01-01 (UTC): the day a notice was sent, as its addresses carry it. */
export const dayNumber = (date: Date) => Math.floor(date.getTime() / DAY_MS);

type TBounceMacPurpose = "verp" | "message-id";

// A key of its own per purpose, derived from the link key, so no MAC here is ever a link token's
// HMAC (nor a VERP MAC the Message-ID's, which replies quote to third parties). At most a few
// LINK_SECRETS times two purposes: the map never grows past that.
const derived = new Map<string, Buffer>();

const keyFor = (purpose: TBounceMacPurpose, secret: string) => {
  const name = `${purpose}\u0000${secret}`;
  let key = derived.get(name);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", secret, "", `objection bounce ${purpose} v1`, 32));
    derived.set(name, key);
  }
  return key;
};

/**
 * The MAC of a notice (its id as 32 hex digits) and day, in lower-case base32hex (0-9, a-v): relays
 * may fold the case of an address, and base32hex survives that, where base64 would not.
 */
export const bounceMac = ({ purpose, secret, id, day }: { purpose: TBounceMacPurpose; secret: string; id: string; day: number }) => {
  const digest = createHmac("sha256", keyFor(purpose, secret)).update(`${id}.${day}`).digest();
  return (digest.readBigUInt64BE(0) >> BigInt(64 - BOUNCE_MAC_LENGTH * 5)).toString(32).padStart(BOUNCE_MAC_LENGTH, "0");
};

/** The key of `secrets` (LINK_SECRETS, current first) that made `mac`, or null; each compared in constant time. */
export const bounceMacSigner = ({ purpose, secrets, id, day, mac }: { purpose: TBounceMacPurpose; secrets: readonly string[]; id: string; day: number; mac: string }) => {
  const given = Buffer.from(mac.toLowerCase());
  if (given.length !== BOUNCE_MAC_LENGTH) return null;
  return secrets.find((secret) => timingSafeEqual(given, Buffer.from(bounceMac({ purpose, secret, id, day })))) ?? null;
};
