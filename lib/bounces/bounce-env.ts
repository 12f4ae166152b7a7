import "server-only";

import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";

import { z } from "zod";

import { formatEnvError } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";

/** The file's bytes when `parse` reads them without throwing; else the one-line `message` (never the content: it may be a key). */
const pemFile = (message: string, parse: (content: Buffer) => unknown) =>
  z.string().transform((path, context) => {
    try {
      const content = readFileSync(path);
      parse(content);
      return content;
    } catch {
      context.addIssue({ code: "custom", message });
      return z.NEVER;
    }
  });

const isCertificateOf = ({ cert, key }: { cert: Buffer; key: Buffer }) => {
  try {
    return new X509Certificate(cert).checkPrivateKey(createPrivateKey(key));
  } catch {
    return false;
  }
};

/**
 * BOUNCE_TLS_KEY and BOUNCE_TLS_CERT as files, read and matched. Only the bounce listener reads them,
 * at its start: the web app and the worker share the environment but may run where the files are not,
 * and should not need read access to the private key (lib/env.ts checks only that both or none are set).
 */
export const ZBounceTls = z
  .object({
    BOUNCE_TLS_KEY: pemFile("BOUNCE_TLS_KEY must be the path of a readable PEM file holding a private key", createPrivateKey).optional(),
    BOUNCE_TLS_CERT: pemFile("BOUNCE_TLS_CERT must be the path of a readable PEM file holding a certificate", (pem) => new X509Certificate(pem)).optional(),
  })
  // A key without its certificate (or one of another key) would fail only when a sender says STARTTLS.
  .transform(({ BOUNCE_TLS_KEY: key, BOUNCE_TLS_CERT: cert }, context) => {
    if (!key && !cert) return undefined;
    if (!key || !cert) {
      context.addIssue({ code: "custom", path: ["BOUNCE_TLS_KEY"], message: "BOUNCE_TLS_KEY and BOUNCE_TLS_CERT must be set together, or neither" });
      return z.NEVER;
    }
    if (!isCertificateOf({ cert, key })) {
      context.addIssue({ code: "custom", path: ["BOUNCE_TLS_KEY"], message: "BOUNCE_TLS_CERT must be the certificate of the key in BOUNCE_TLS_KEY" });
      return z.NEVER;
    }
    return { key, cert };
  });

export type TBounceTls = z.infer<typeof ZBounceTls>;

/** The listener's key and certificate (undefined without them); throws an AppError `not_configured` of one line that names what is wrong. */
export const readBounceTls = (source: { BOUNCE_TLS_KEY?: string; BOUNCE_TLS_CERT?: string }): TBounceTls => {
  const result = ZBounceTls.safeParse({ BOUNCE_TLS_KEY: source.BOUNCE_TLS_KEY || undefined, BOUNCE_TLS_CERT: source.BOUNCE_TLS_CERT || undefined });
  if (!result.success) throw new AppError("not_configured", { message: formatEnvError(result.error) });
  return result.data;
};
