import "server-only";

// The envelope sender (Return-Path) of each notice names its notification, so a bounce that comes
// back, however mangled its body, says which notice failed without us reading any address from it:
// `bounces+<notification uuid>@bounce.example.eu` (VERP). The header From stays MAIL_FROM.

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const UUID_ONLY = new RegExp(`^${UUID}$`, "i");

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

type TVerpParts = { local: string; domain: string };

/** `local+<notificationId>@domain`; the id is written in lower case, as PostgreSQL prints uuids. */
export const verpAddress = ({ notificationId, local, domain }: { notificationId: string } & TVerpParts) => {
  // A plain regex, not a zod schema: this runs once per email in a campaign.
  if (!UUID_ONLY.test(notificationId)) throw new TypeError("A VERP notification id must be a UUID");
  return `${local}+${notificationId.toLowerCase()}@${domain}`;
};

/**
 * The notification id in a bounce's recipient address, or null when the address is not one of
 * ours. Local part and domain match without regard to case (some relays fold them); angle brackets
 * and surrounding spaces, as an SMTP `RCPT TO` may carry them, are ignored.
 */
export const notificationIdFromVerp = (address: string, { local, domain }: TVerpParts): string | null => {
  const pattern = new RegExp(`^<?\\s*${escapeRegExp(local)}\\+(${UUID})@${escapeRegExp(domain)}\\.?\\s*>?$`, "i");
  const match = pattern.exec(address.trim());
  return match ? match[1]!.toLowerCase() : null;
};
