import "server-only";

import { createHmac, timingSafeEqual } from "node:crypto";

import { env } from "@/lib/env";
import { TOKEN_LENGTH } from "@/lib/links/token";

// The personal link page is where a campaign's clicks land, thousands a minute. All of it but the
// token, the masked address and the preselected country is the same for every member of a
// language: it is rendered once by the page itself (so there is one implementation of the form)
// for a placeholder token, stripped of Next's scripts (lib/links/light-form-page.ts), and each
// request fills in its own values.

/** The token the template is rendered for: TOKEN_LENGTH base64url characters, like a real token, that no key verifies. */
export const TEMPLATE_TOKEN = "TEMPLATE".repeat(Math.ceil(TOKEN_LENGTH / 8)).slice(0, TOKEN_LENGTH);
/** The masked address in the template; the page renders it as text and in its hydration data. */
export const TEMPLATE_EMAIL = "⟦masked-email⟧";
/** Asks the page for the template; signed, so nobody outside can. */
export const TEMPLATE_HEADER = "x-objection-template";

const sign = (value: string) => createHmac("sha256", env().LINK_SECRET).update(`template:${value}`).digest("base64url");

export const signTemplateRequest = ({ country }: { country: string }) => `${country}.${sign(country)}`;

/** The preselected country of a template request ("" for none), or null when the header is not ours. */
export const verifyTemplateRequest = (header: string | null): { country: string } | null => {
  const match = header ? /^([A-Z]{2}|)\.([A-Za-z0-9_-]{43})$/.exec(header) : null;
  if (!match) return null;
  const [, country = "", signature = ""] = match;
  const expected = Buffer.from(sign(country));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? { country } : null;
};

// The values are written into HTML text and into a JSON string inside a script, as they are:
// letters, digits and the few marks of a masked address need no escaping in either place.
const SAFE_IN_HTML_AND_JSON = /[^\p{L}\p{N}\p{M}•@._+-]/gu;

/** The page as rendered for the placeholder token, and the script nonce its render was given. */
export type TLinkPageTemplate = { html: string; nonce: string };

/**
 * The page for one member: the template with their token, masked address and this response's
 * script nonce, and nothing else changed. The nonce is random (lib/security), so the template's
 * appears only where Next put it: every `nonce="…"` and whatever else carries it.
 */
export const fillLinkPageTemplate = ({ template, token, maskedEmail, nonce }: { template: TLinkPageTemplate; token: string; maskedEmail: string; nonce: string }) =>
  template.html
    .replaceAll(template.nonce, nonce)
    .replaceAll(TEMPLATE_TOKEN, token)
    .replaceAll(TEMPLATE_EMAIL, maskedEmail.replace(SAFE_IN_HTML_AND_JSON, "•"));
