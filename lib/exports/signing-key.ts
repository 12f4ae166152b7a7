import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";

/**
 * Reads an Ed25519 private key: PEM (PKCS#8), with real line breaks or `\n` as an env file writes
 * them, or the same key as one line of base64 DER. Null when it is anything else.
 */
export const parseSigningKey = (value: string): KeyObject | null => {
  const text = value.trim().replace(/\\n/g, "\n");
  try {
    const key = text.startsWith("-----BEGIN")
      ? createPrivateKey(text)
      : createPrivateKey({ key: Buffer.from(text, "base64"), format: "der", type: "pkcs8" });
    return key.asymmetricKeyType === "ed25519" ? key : null;
  } catch {
    return null;
  }
};

/** A public key's id: the first 16 hex digits of the SHA-256 of its SubjectPublicKeyInfo (DER). */
export const signingKeyId = (publicKey: KeyObject) =>
  createHash("sha256").update(publicKey.export({ format: "der", type: "spki" })).digest("hex").slice(0, 16);

export const publicKeyOf = (privateKey: KeyObject) => createPublicKey(privateKey);

/** Reads a public key given as PEM (SPKI), or takes the public half of a private key. */
export const parsePublicKey = (value: string): KeyObject | null => {
  const text = value.trim().replace(/\\n/g, "\n");
  try {
    const key = text.includes("PRIVATE KEY") ? createPublicKey(createPrivateKey(text)) : createPublicKey(text);
    return key.asymmetricKeyType === "ed25519" ? key : null;
  } catch {
    return null;
  }
};
