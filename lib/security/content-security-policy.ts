import "server-only";

import { randomBytes } from "node:crypto";

/**
 * A fresh script nonce for one response: 128 random bits, base64url. Its alphabet needs no
 * escaping in an HTML attribute, a JSON string or a CSP header, so it can also be found and
 * swapped as plain text (lib/links/link-page-template.ts does).
 */
export const newNonce = () => randomBytes(16).toString("base64url");

/** Two years, subdomains included: what a host needs to be preloaded into browsers. */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

export type TSecurityHeadersOptions = {
  nonce: string;
  /** `next dev`: React's dev tools evaluate code, which the production build never does. */
  development: boolean;
  /** APP_URL is https: the site is served over TLS only, so browsers may be told to insist on it. */
  https: boolean;
  /**
   * Origins a form may lead to besides the app's own: the sign-in page's single sign-on button
   * posts to a server action that redirects to the OpenID provider, and browsers check
   * form-action against every redirect of a submission (without JavaScript, the button is a form post).
   */
  formActionOrigins?: string[];
};

/**
 * The page's Content-Security-Policy. Scripts run only with this response's nonce ('strict-dynamic'
 * lets Next's nonced bootstrap load its chunks), so an injected <script> or event handler does not.
 * Styles stay 'unsafe-inline': React, Radix and recharts set `style` attributes, which a nonce
 * cannot cover (and with a nonce listed, browsers would ignore 'unsafe-inline').
 */
export const contentSecurityPolicy = ({ nonce, development, https, formActionOrigins = [] }: TSecurityHeadersOptions) =>
  [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    // The admin console's email preview is an iframe with srcdoc (it inherits this policy); no
    // page frames another site.
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    ["form-action 'self'", ...formActionOrigins].join(" "),
    // No page of this app is meant to be framed (clickjacking a "withdraw" or an admin action).
    "frame-ancestors 'none'",
    // Over http (the tests, the demo) this would send every subresource to a port nobody serves.
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");

/** The headers every page gets from proxy.ts; the static ones (nosniff, framing, features) are in next.config.js. */
export const securityHeaders = (options: TSecurityHeadersOptions): Record<string, string> => ({
  "content-security-policy": contentSecurityPolicy(options),
  ...(options.https ? { "strict-transport-security": STRICT_TRANSPORT_SECURITY } : {}),
});

/** The script nonce a Content-Security-Policy names, or null: how the link page template finds the one it was rendered with. */
export const scriptNonce = (policy: string | null) => {
  const scriptSrc = policy?.split(";").map((directive) => directive.trim().split(/\s+/)).find(([name]) => name === "script-src");
  const source = scriptSrc?.find((value) => /^'nonce-[A-Za-z0-9+/_-]+={0,2}'$/.test(value));
  return source ? source.slice("'nonce-".length, -1) : null;
};
