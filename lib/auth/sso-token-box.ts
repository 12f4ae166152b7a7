import "server-only";

import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

import { env } from "@/lib/env";

// A provider's refresh token is a credential: stored sealed with AES-256-GCM (node:crypto, no
// package needed) under a key derived from AUTH_SECRET, so a copy of the database alone cannot use it.
const key = () => Buffer.from(hkdfSync("sha256", env().AUTH_SECRET!, "objection", "admin sso refresh token", 32));

/** `v1.<iv>.<tag>.<ciphertext>`, base64url. */
export const sealSsoToken = (token: string) => {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const sealed = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), sealed].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".");
};

/** The token, or null when the box was sealed under another AUTH_SECRET or altered. */
export const openSsoToken = (box: string) => {
  const [version, iv, tag, sealed] = box.split(".");
  if (version !== "v1" || !iv || !tag || sealed === undefined) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(sealed, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
};
