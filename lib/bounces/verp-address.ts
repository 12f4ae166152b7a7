import "server-only";

import { BOUNCE_MAC_LENGTH, bounceMac, bounceMacSigner, dayNumber } from "@/lib/bounces/bounce-mac";

// The envelope sender (Return-Path) of each notice names its notification, so a bounce that comes
// back, however mangled its body, says which notice failed without us reading any address from it
// (VERP): `bounces+<notification id, 32 hex>.<day sent>.<MAC>@bounce.example.eu`. The header From
// stays MAIL_FROM. The notification id alone is no proof: it is in every link token of the notice,
// so anyone who saw a forwarded notice or a link rewriter's log knows it. The MAC (lib/bounces/bounce-mac.ts)
// is only in the envelope and the headers, and the day lets the listener refuse old reports.
// Notices sent before the MAC (`bounces+<uuid>@…`) are still read, as unsigned, for
// lib/bounces/screen-bounce-report.ts to judge.

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const UUID_ONLY = new RegExp(`^${UUID}$`, "i");
const SIGNED = `([0-9a-f]{32})\\.(\\d{1,7})\\.([0-9a-v]{${BOUNCE_MAC_LENGTH}})`;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

type TVerpParts = { local: string; domain: string };

/** A VERP address read back: `signed` is null for the old format, which carries no MAC. */
export type TVerpAddress = { notificationId: string; signed: TSignedVerp | null };
/** `id` is the notification id as 32 hex digits, `day` the day it was sent (lib/bounces/bounce-mac.ts). */
type TSignedVerp = { id: string; day: number; mac: string };

/** A notification id as 32 lower-case hex digits, as the addresses carry it. */
export const compactId = (notificationId: string) => {
  // A plain regex, not a zod schema: this runs once per email in a campaign.
  if (!UUID_ONLY.test(notificationId)) throw new TypeError("A VERP notification id must be a UUID");
  return notificationId.replaceAll("-", "").toLowerCase();
};

const uuidOf = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/** The address `parseVerpAddress` read, written out again: `local+<id>.<day>.<mac>@domain`, or the old `local+<uuid>@domain`. */
export const formatVerpAddress = ({ address, local, domain }: { address: TVerpAddress } & TVerpParts) => {
  const { signed } = address;
  return `${local}+${signed ? `${signed.id}.${signed.day}.${signed.mac}` : address.notificationId}@${domain}`;
};

/** `local+<id>.<day>.<mac>@domain`, all lower case; `secret` is the current link key (env().LINK_SECRET). */
export const verpAddress = ({ notificationId, sentAt, local, domain, secret }: { notificationId: string; sentAt: Date; secret: string } & TVerpParts) => {
  const id = compactId(notificationId);
  const day = dayNumber(sentAt);
  return formatVerpAddress({ address: { notificationId, signed: { id, day, mac: bounceMac({ purpose: "verp", secret, id, day }) } }, local, domain });
};

/**
 * What a bounce's recipient address names, or null when it is not one of ours (or its MAC is of the
 * wrong shape). Local part and domain match without regard to case (some relays fold them); angle
 * brackets and surrounding spaces, as an SMTP `RCPT TO` may carry them, are ignored. The MAC is
 * not checked here: see verpSigner.
 */
export const parseVerpAddress = (address: string, { local, domain }: TVerpParts): TVerpAddress | null => {
  const pattern = new RegExp(`^<?\\s*${escapeRegExp(local)}\\+(?:${SIGNED}|(${UUID}))@${escapeRegExp(domain)}\\.?\\s*>?$`, "i");
  const match = pattern.exec(address.trim());
  if (!match) return null;
  const [, hex, day, mac, uuid] = match;
  if (uuid) return { notificationId: uuid.toLowerCase(), signed: null };
  return { notificationId: uuidOf(hex!.toLowerCase()), signed: { id: hex!.toLowerCase(), day: Number(day), mac: mac!.toLowerCase() } };
};

/** The key of `secrets` (env().LINK_SECRETS, rotation included) that signed the address, or null for a forged one. */
export const verpSigner = ({ address, secrets }: { address: TSignedVerp; secrets: readonly string[] }) => bounceMacSigner({ purpose: "verp", secrets, ...address });
