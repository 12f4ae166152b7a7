import "server-only";

import { createElement } from "react";

import { brand } from "@/lib/branding/brand";
import { escapeHtml } from "@/lib/html/escape-html";
import { ObjectionReceipt, objectionReceiptSubject, type TObjectionReceiptProps } from "@/emails/objection-receipt";
import { loadMessages } from "@/lib/i18n/locales";
import { renderEmail } from "@/lib/mail";

type TReceiptValues = Pick<TObjectionReceiptProps, "date" | "countryName" | "reference" | "statusUrl">;

type TReceiptTemplate = { subject: string; html: string; text: string };

// Rendering React costs about 4 ms an email, which would cap receipts near 250 a second per core
// while a campaign's objections arrive faster. The receipt is rendered once per language with
// placeholders, and each receipt fills them in. The placeholders have no letters, so the plain-text
// conversion (which upper-cases headings) leaves them as they are.
const PLACEHOLDERS: Record<keyof TReceiptValues, string> = {
  date: "⟦1⟧",
  countryName: "⟦2⟧",
  reference: "⟦3⟧",
  statusUrl: "⟦4⟧",
};

const templates = new Map<string, Promise<TReceiptTemplate>>();

const buildTemplate = async ({ locale, signed }: { locale: string; signed: boolean }): Promise<TReceiptTemplate> => {
  const messages = loadMessages(locale);
  const { html, text } = await renderEmail(createElement(ObjectionReceipt, { locale, messages, brand: brand(), signed, ...PLACEHOLDERS }));
  return { subject: objectionReceiptSubject({ locale, messages }), html, text };
};

const fill = (template: string, values: TReceiptValues, escape: (value: string) => string) =>
  (Object.keys(PLACEHOLDERS) as (keyof TReceiptValues)[]).reduce((filled, key) => filled.replaceAll(PLACEHOLDERS[key], escape(values[key])), template);

/** The receipt in a supported locale: subject, HTML and text; `signed` when a signed receipt goes with it (a line says what the file is). */
export const renderReceipt = async ({ locale, values, signed = false }: { locale: string; values: TReceiptValues; signed?: boolean }) => {
  const key = `${locale}:${signed ? "signed" : "unsigned"}`;
  let template = templates.get(key);
  if (!template) {
    template = buildTemplate({ locale, signed });
    templates.set(key, template);
    template.catch(() => templates.delete(key));
  }
  const { subject, html, text } = await template;
  return { subject, html: fill(html, values, escapeHtml), text: fill(text, values, (value) => value) };
};
