import "server-only";

import { createHmac, timingSafeEqual } from "node:crypto";

import { env } from "@/lib/env";
import type { TLinkPageTemplate } from "@/lib/links/link-page-template";
import { scriptNonce } from "@/lib/security/content-security-policy";

/** Marks the loopback request of a render, so proxy.ts hands it to the page rather than answering it from a render. */
const RENDER_HEADER = "x-objection-render";

// Checked on every page load the proxy sees: computed once, the key being fixed for the process.
let signature: string | undefined;
const renderSignature = () => (signature ??= createHmac("sha256", env().LINK_SECRET).update("page-render").digest("base64url"));

/** Whether this request is a render of this deployment's own (nobody outside can sign one). */
export const isOwnRender = (request: { headers: Headers }) => {
  const given = Buffer.from(request.headers.get(RENDER_HEADER) ?? "");
  const expected = Buffer.from(renderSignature());
  return given.length === expected.length && timingSafeEqual(given, expected);
};

const renders = new Map<string, Promise<TLinkPageTemplate | null>>();

/** This instance, over loopback (Next sets PORT to the port it listens on). */
export const loopbackOrigin = (url: URL) => `http://127.0.0.1:${process.env.PORT ?? url.port}`;

/**
 * A page rendered by Next once per key and kept, with the script nonce proxy.ts gave that render
 * (its Content-Security-Policy says which), so each response can carry its own nonce instead.
 * A failed render is tried again by the next request rather than kept. `transform` runs once, on
 * the render as captured, not on every response.
 */
export const cachedPageRender = ({
  key,
  url,
  headers,
  transform = (rendered) => rendered,
}: {
  key: string;
  url: string;
  headers: Record<string, string>;
  transform?: (rendered: TLinkPageTemplate) => TLinkPageTemplate;
}) => {
  let render = renders.get(key);
  if (!render) {
    render = fetch(url, { headers: { ...headers, [RENDER_HEADER]: renderSignature() } })
      .then(async (response) => {
        const html = await response.text();
        const nonce = scriptNonce(response.headers.get("content-security-policy"));
        return response.ok && nonce ? transform({ html, nonce }) : null;
      })
      .catch(() => null);
    renders.set(key, render);
    void render.then((rendered) => rendered ?? renders.delete(key));
  }
  return render;
};
