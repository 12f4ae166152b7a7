import { Text } from "@react-email/components";
import { createTranslator } from "next-intl";

import type { TBrand } from "../lib/branding/brand";
import type { TMessages } from "../lib/i18n/messages-type";

import { EmailHeading, EmailLayout, emailStyles, PREVIEW_BRAND } from "./layout";
import { ObjectionClosedEnding } from "./objection-closed-ending";
import en from "../messages/en.json";

export type TObjectionRejectionProps = {
  locale: string;
  messages: TMessages;
  brand: TBrand;
  /** When the objection was made, already formatted in the locale. */
  date: string;
  /** The reviewers' reason, quoted as they wrote it. */
  reason: string;
  reference: string;
  /** The public objection form: the person may object again. */
  objectUrl: string;
};

export const objectionRejectionSubject = ({ locale, messages }: Pick<TObjectionRejectionProps, "locale" | "messages">) =>
  createTranslator({ locale, messages, namespace: "emails.rejection" })("subject");

const quoteStyle = {
  borderLeft: "4px solid #9ca3af",
  margin: "0 0 16px",
  padding: "4px 0 4px 16px",
} as const;

export const ObjectionRejection = ({ locale, messages, brand, date, reason, reference, objectUrl }: TObjectionRejectionProps) => {
  const t = createTranslator({
    locale,
    messages,
    namespace: "emails.rejection",
  });
  return (
    <EmailLayout locale={locale} sender={{ brand, messages }} preview={t("preview", { date })}>
      <EmailHeading>{t("heading")}</EmailHeading>
      <Text style={emailStyles.text}>{t("body", { date })}</Text>
      <Text style={emailStyles.subheading}>{t("reasonTitle")}</Text>
      {/* A real blockquote: mail clients show it as a quote, and the text version prefixes each line with "> ". */}
      <blockquote style={quoteStyle}>
        <Text style={{ ...emailStyles.text, margin: 0 }}>{reason.split(/\r?\n/).flatMap((line, index) => (index === 0 ? [line] : [<br key={index} />, line]))}</Text>
      </blockquote>
      <ObjectionClosedEnding t={t} reference={reference} color={brand.color} objectUrl={objectUrl} />
    </EmailLayout>
  );
};

ObjectionRejection.PreviewProps = {
  locale: "en",
  messages: en,
  brand: PREVIEW_BRAND,
  date: "29 November 2026",
  reason: "The objection was made for an address that belongs to no person (an automated sign-up).",
  reference: "1B7QK-XM3ZA-9D0VT-ERW4H-C82NP",
  objectUrl: "http://localhost:3000/object",
} satisfies TObjectionRejectionProps;

export default ObjectionRejection;
