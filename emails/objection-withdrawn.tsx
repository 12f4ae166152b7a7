import { Text } from "@react-email/components";
import { createTranslator } from "next-intl";

import type { TBrand } from "../lib/branding/brand";
import type { TMessages } from "../lib/i18n/messages-type";

import { EmailHeading, EmailLayout, emailStyles, PREVIEW_BRAND } from "./layout";
import { ObjectionClosedEnding } from "./objection-closed-ending";
import en from "../messages/en.json";

export type TObjectionWithdrawnProps = {
  locale: string;
  messages: TMessages;
  brand: TBrand;
  /** When the objection was withdrawn, already formatted in the locale. */
  date: string;
  reference: string;
  /** Where to object again: the member's personal link (/o/<token>), or /object for an objection without an account. */
  objectUrl: string;
  /** A signed receipt of the withdrawal (objection-receipt.jwt) is attached: the email says what the file is. */
  signed?: boolean;
};

export const objectionWithdrawnSubject = ({ locale, messages }: Pick<TObjectionWithdrawnProps, "locale" | "messages">) =>
  createTranslator({ locale, messages, namespace: "emails.withdrawal" })("subject");

export const ObjectionWithdrawn = ({ locale, messages, brand, date, reference, objectUrl, signed = false }: TObjectionWithdrawnProps) => {
  const t = createTranslator({
    locale,
    messages,
    namespace: "emails.withdrawal",
  });
  return (
    <EmailLayout locale={locale} sender={{ brand, messages }} preview={t("preview", { date })}>
      <EmailHeading>{t("heading")}</EmailHeading>
      <Text style={emailStyles.text}>{t("body", { date })}</Text>
      <ObjectionClosedEnding t={t} reference={reference} color={brand.color} objectUrl={objectUrl} />
      {signed && <Text style={emailStyles.small}>{createTranslator({ locale, messages, namespace: "emails.signedReceipt" })("withdrawal")}</Text>}
    </EmailLayout>
  );
};

ObjectionWithdrawn.PreviewProps = {
  locale: "en",
  messages: en,
  brand: PREVIEW_BRAND,
  date: "29 November 2026",
  reference: "1B7QK-XM3ZA-9D0VT-ERW4H-C82NP",
  objectUrl: "http://localhost:3000/o/preview-token",
  signed: true,
} satisfies TObjectionWithdrawnProps;

export default ObjectionWithdrawn;
