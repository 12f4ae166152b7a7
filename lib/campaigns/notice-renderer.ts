import "server-only";

import { createElement } from "react";

import { ObjectionNotice, objectionNoticeSubject } from "@/emails/objection-notice";
import { loadMessages, supportedOrDefault } from "@/lib/i18n/locales";
import { renderEmail } from "@/lib/mail";

// Rendering React costs milliseconds per email; a placeholder swapped for each member's link
// costs microseconds. The placeholder is URL-safe, so it survives HTML attribute escaping.
const LINK_PLACEHOLDER = "https://objection.invalid/o/__PERSONAL_LINK__";

type TRenderedNotice = { subject: string; html: string; text: string };

const cache = new Map<string, Promise<TRenderedNotice>>();

const render = async (locale: string): Promise<TRenderedNotice> => {
  const messages = loadMessages(locale);
  const { html, text } = await renderEmail(createElement(ObjectionNotice, { locale, messages, linkUrl: LINK_PLACEHOLDER }));
  return { subject: objectionNoticeSubject({ locale, messages }), html, text };
};

/** The notice in the member's language (English when theirs is not offered), with their link in it. */
export const renderNotice = async ({ campaignId, locale, linkUrl }: { campaignId: string; locale: string | null; linkUrl: string }) => {
  const language = supportedOrDefault(locale);
  const key = `${campaignId}:${language}`;
  let rendered = cache.get(key);
  if (!rendered) {
    rendered = render(language);
    cache.set(key, rendered);
  }
  const { subject, html, text } = await rendered;
  return { subject, html: html.replaceAll(LINK_PLACEHOLDER, linkUrl), text: text.replaceAll(LINK_PLACEHOLDER, linkUrl) };
};
