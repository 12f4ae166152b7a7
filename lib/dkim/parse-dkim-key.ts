import { createPrivateKey, type KeyObject } from "node:crypto";

/** RFC 8301: verifiers may refuse RSA keys shorter than this; 2048 bits is what receivers expect. */
export const DKIM_MIN_KEY_BITS = 1024;

/**
 * Reads the DKIM private key: RSA (nodemailer signs rsa-sha256 only, and skips the signature
 * silently for any other key), PEM with real line breaks or `\n` as an env file writes them.
 * Null when it is anything else.
 */
export const parseDkimKey = (value: string): KeyObject | null => {
  try {
    const key = createPrivateKey(value.trim().replace(/\\n/g, "\n"));
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return key.asymmetricKeyType === "rsa" && bits >= DKIM_MIN_KEY_BITS ? key : null;
  } catch {
    return null;
  }
};
