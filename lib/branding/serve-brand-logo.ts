import "server-only";

import { readFile } from "node:fs/promises";
import path from "node:path";

import { env } from "@/lib/env";

const CONTENT_TYPES: Record<string, string> = { ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp" };

let logo: Promise<Buffer> | undefined;

/** GET /brand/logo: the BRAND_LOGO file (checked at start-up), or 404 when none is set. */
export const serveBrandLogo = async () => {
  const file = env().BRAND_LOGO;
  if (!file) return new Response("No logo is set (BRAND_LOGO).", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  // Read once; a failed read (the file moved since start-up) is tried again by the next request.
  logo ??= readFile(file).catch((error: unknown) => {
    logo = undefined;
    throw error;
  });
  const body = await logo.catch(() => null);
  if (!body) return new Response("The logo file (BRAND_LOGO) cannot be read; the operator has to put it back.", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  return new Response(new Uint8Array(body), {
    headers: {
      "content-type": CONTENT_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream",
      "cache-control": "public, max-age=3600",
      // An SVG opened on its own must not run scripts.
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    },
  });
};
