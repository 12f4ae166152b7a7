import "server-only";

import { createHash } from "node:crypto";

import MailComposer from "nodemailer/lib/mail-composer";
import { createElement } from "react";

import { ObjectionNotice, objectionNoticeSubject } from "@/emails/objection-notice";
import { brand } from "@/lib/branding/brand";
import { env } from "@/lib/env";
import { loadMessages, supportedOrDefault } from "@/lib/i18n/locales";
import { personalLinkPrefix } from "@/lib/links/personal-link-url";
import { TOKEN_LENGTH } from "@/lib/links/token";
import { renderEmail } from "@/lib/mail";
import { trainingStartIn } from "@/lib/objections/training-start";

// Rendering React costs milliseconds an email, and composing MIME half a millisecond: both are done
// once per campaign and language. The result keeps three placeholders that each email fills in:
// - the token: "~" never occurs in the template, is left as it is by quoted-printable encoding, and
//   has the token's length, so soft line breaks fall in the same places whatever the token;
// - the recipient and the Message-ID, in the headers.
const TOKEN_PLACEHOLDER = "~".repeat(TOKEN_LENGTH);
const RECIPIENT_PLACEHOLDER = "recipient@recipient.invalid";
const MESSAGE_ID_PLACEHOLDER = "<message-id@message-id.invalid>";
const PLAIN_ADDRESS = /^[\x21-\x7e]+@[\x21-\x7e]+$/;

/** Literal text, or the slice [from, to) of the token. */
type TPart = string | readonly [number, number];

/**
 * `language` is the one actually used (English when the member's is not offered); `version` names
 * this notice for proof of notice: the SHA-256 of its language and rendered subject, HTML and text.
 */
export type TNoticeTemplate = { language: string; version: string; subject: string; html: string; text: string; parts: TPart[] };

const noticeVersion = ({ language, subject, html, text }: { language: string; subject: string; html: string; text: string }) =>
  createHash("sha256").update(JSON.stringify([language, subject, html, text])).digest("hex");

const splitAtToken = (raw: string): TPart[] | null => {
  const parts: TPart[] = [];
  let literal = "";
  let tokenIndex = 0;
  for (let i = 0; i < raw.length; ) {
    if (raw[i] !== "~") {
      literal += raw[i++];
      continue;
    }
    const start = i;
    while (raw[i] === "~") i++;
    const length = i - start;
    const from = tokenIndex % TOKEN_LENGTH;
    if (from + length > TOKEN_LENGTH) return null;
    parts.push(literal, [from, from + length] as const);
    literal = "";
    tokenIndex += length;
  }
  parts.push(literal);
  return tokenIndex > 0 && tokenIndex % TOKEN_LENGTH === 0 ? parts : null;
};

/** How many whole links the parts hold (a link split by soft line breaks is several slices). */
const linksIn = (parts: TPart[]) => parts.reduce((characters, part) => (typeof part === "string" ? characters : characters + part[1] - part[0]), 0) / TOKEN_LENGTH;

const buildTemplate = async (locale: string): Promise<TNoticeTemplate> => {
  const messages = loadMessages(locale);
  const subject = objectionNoticeSubject({ locale, messages, brand: brand() });
  const trainingStartsOn = trainingStartIn({ day: env().TRAINING_STARTS_AT, locale })?.date;
  const { html, text } = await renderEmail(createElement(ObjectionNotice, { locale, messages, brand: brand(), linkUrl: `${personalLinkPrefix()}${TOKEN_PLACEHOLDER}`, trainingStartsOn }));
  // Quoted-printable for both parts, whatever the script: left to itself the composer base64-encodes
  // a part that is mostly outside ASCII (Bulgarian, Greek), and the placeholder vanishes into it.
  const raw = await new MailComposer({ from: env().MAIL_FROM, to: RECIPIENT_PLACEHOLDER, subject, html, text, messageId: MESSAGE_ID_PLACEHOLDER, textEncoding: "quoted-printable" })
    .compile()
    .build();
  // The Date header is written per email; the composer's would be the render time.
  // Line endings as SMTP sends them (CRLF; the text part holds some bare LFs), so a DKIM signature
  // over the filled message covers the bytes that arrive.
  const parts = splitAtToken(raw.toString("utf8").replace(/\r?\n/g, "\r\n").replace(/^Date: [^\r\n]*\r\n/m, ""));
  // One link in the text part and one in the HTML part, at least: a part whose placeholder could not
  // be found (an encoding that hides it) would go out with a dead link.
  if (!parts || linksIn(parts) < 2) throw new Error(`The ${locale} notice template does not hold a whole link placeholder in each part`);
  return { language: locale, version: noticeVersion({ language: locale, subject, html, text }), subject, html, text, parts };
};

const cache = new Map<string, Promise<TNoticeTemplate>>();

/** The notice in this language (English when it is not offered), composed once per campaign. */
export const noticeTemplate = ({ campaignId, locale }: { campaignId: string; locale: string | null }) => {
  const language = supportedOrDefault(locale);
  const key = `${campaignId}:${language}`;
  let template = cache.get(key);
  if (!template) {
    template = buildTemplate(language);
    template.catch(() => cache.delete(key));
    cache.set(key, template);
  }
  return template;
};

/**
 * RFC 8058 one-click "stop these emails": a mail client shows its own button, which POSTs to the URL.
 * The URL is APP_URL and a base64url token (no spaces, no line breaks), so the header needs no
 * folding or encoding and can be written per email as it is.
 */
export const listUnsubscribeHeaders = (unsubscribeUrl: string) => ({
  "List-Unsubscribe": `<${unsubscribeUrl}>`,
  "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
});

/**
 * One member's email as a complete RFC 5322 message, or null for an address that needs encoding in
 * the header (then the caller composes the message in full). The per-member headers (Date and the
 * unsubscribe link, with its own token) are written here rather than composed into the template, so
 * no folding by the composer can split a placeholder. `messageId` is the notice's own
 * (lib/bounces/notice-message-id.ts): the bounce listener checks that a report quotes it.
 */
export const fillNotice = ({ template, token, to, messageId, unsubscribeUrl }: { template: TNoticeTemplate; token: string; to: string; messageId: string; unsubscribeUrl?: string }) => {
  if (!PLAIN_ADDRESS.test(to) || token.length !== TOKEN_LENGTH) return null;
  let body = "";
  for (const part of template.parts) body += typeof part === "string" ? part : token.slice(part[0], part[1]);
  // Replacer functions: a "$" in an address must not be read as a replacement pattern.
  const filled = body.replace(RECIPIENT_PLACEHOLDER, () => to).replace(MESSAGE_ID_PLACEHOLDER, () => messageId);
  let headers = `Date: ${new Date().toUTCString()}\r\n`;
  if (unsubscribeUrl) for (const [name, value] of Object.entries(listUnsubscribeHeaders(unsubscribeUrl))) headers += `${name}: ${value}\r\n`;
  return `${headers}${filled}`;
};

/** The notice's HTML and text with the member's link, for the rare email composed in full. */
export const noticeContent = ({ template, token }: { template: TNoticeTemplate; token: string }) => ({
  subject: template.subject,
  html: template.html.replaceAll(TOKEN_PLACEHOLDER, token),
  text: template.text.replaceAll(TOKEN_PLACEHOLDER, token),
});
