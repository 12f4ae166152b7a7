import "server-only";

import { createHash } from "node:crypto";
import path from "node:path";

import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { exportStorageAt } from "@/lib/exports/export-storage";
import { parseSigningKey, publicKeyOf, signingKeyId } from "@/lib/exports/signing-key";

/** Where runs go: EXPORT_STORAGE (s3://…) when set, else the EXPORT_DIR folder. */
export const exportStorage = () => exportStorageAt(env().EXPORT_STORAGE ?? path.resolve(env().EXPORT_DIR));

/** The key that signs manifests, with its public half and id; null when EXPORT_SIGNING_KEY is unset. */
export const exportSigningKey = () => {
  const value = env().EXPORT_SIGNING_KEY;
  const privateKey = value ? parseSigningKey(value) : null;
  if (!privateKey) return null;
  const publicKey = publicKeyOf(privateKey);
  return { privateKey, publicKey, keyId: signingKeyId(publicKey) };
};

/** Everything a run needs from the environment, or an AppError `not_configured` that names what is missing. */
export const exportSettings = () => {
  const { EXPORT_HASH_KEY: hashKey, EXPORT_HASH_KEY_ID, EXPORT_FORMAT: format } = env();
  const signing = exportSigningKey();
  const missing = [!hashKey && "EXPORT_HASH_KEY (exports hash emails with it)", !signing && "EXPORT_SIGNING_KEY (manifests are signed with it)"].filter(Boolean);
  if (!hashKey || !signing) throw new AppError("not_configured", { message: `The export is off: set ${missing.join(" and ")}.` });
  // Without an explicit id, the key's own fingerprint names it: a new key is a new id.
  const hashKeyId = EXPORT_HASH_KEY_ID ?? `sha256-${createHash("sha256").update(hashKey).digest("hex").slice(0, 12)}`;
  return { storage: exportStorage(), hashKey, hashKeyId, signingKey: signing.privateKey, format };
};
