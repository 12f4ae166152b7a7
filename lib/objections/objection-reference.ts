/*
 * An objection's reference, as receipts, the status page and the console show it: every random
 * bit of the objection's id (a version 4 uuid has 122), in Crockford's base32 and five groups of
 * five, such as `1B7QK-XM3ZA-9D0VT-ERW4H-C82NP`. Two objections never share one (it is their id
 * written another way), and it leads back to the id, so an admin finds the objection by it. The
 * alphabet has no I, L, O or U: what is read out or typed as O is 0, as I or L is 1, in any case.
 * An id that is not a random uuid (none is made so) is shown as itself.
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const VALUES = new Map<string, bigint>([...ALPHABET].map((char, value) => [char, BigInt(value)] as const));
for (const [alias, char] of [["O", "0"], ["I", "1"], ["L", "1"]] as const) VALUES.set(alias, VALUES.get(char)!);

const DIGITS = 25;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RANDOM_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const MASK_62 = (1n << 62n) - 1n;

/** The objection's reference: its id's 122 random bits, as five groups of five base32 digits. */
export const objectionReference = (objectionId: string) => {
  if (!RANDOM_UUID.test(objectionId)) return objectionId.toLowerCase();
  const id = BigInt(`0x${objectionId.replaceAll("-", "")}`);
  // Leave out the version (4 bits at 76) and the variant (2 bits at 62): every v4 uuid has the same.
  let bits = ((id >> 80n) << 74n) | (((id >> 64n) & 0xfffn) << 62n) | (id & MASK_62);
  let reference = "";
  for (let digit = 0; digit < DIGITS; digit++) {
    if (digit > 0 && digit % 5 === 0) reference = `-${reference}`;
    reference = ALPHABET[Number(bits & 31n)] + reference;
    bits >>= 5n;
  }
  return reference;
};

/** The objection id a reference (or the id itself) stands for, as typed by a person; null if it stands for none. */
export const objectionIdFromReference = (text: string): string | null => {
  const trimmed = text.trim();
  if (UUID.test(trimmed)) return trimmed.toLowerCase();
  const digits = trimmed.replace(/[\s-]/g, "").toUpperCase();
  if (digits.length !== DIGITS) return null;
  let bits = 0n;
  for (const char of digits) {
    const value = VALUES.get(char);
    if (value === undefined) return null;
    bits = (bits << 5n) | value;
  }
  // 25 digits hold 125 bits; a reference uses the low 122.
  if (bits >> 122n !== 0n) return null;
  const id = ((bits >> 74n) << 80n) | (4n << 76n) | (((bits >> 62n) & 0xfffn) << 64n) | (2n << 62n) | (bits & MASK_62);
  const hex = id.toString(16).padStart(32, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
