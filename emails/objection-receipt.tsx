import { Text } from "@react-email/components";
import { createTranslator } from "next-intl";

import type { TBrand } from "../lib/branding/brand";
import type { TMessages } from "../lib/i18n/messages-type";

import { EmailAction, EmailFooter, EmailHeading, EmailLayout, EmailSection, emailStyles, PREVIEW_BRAND } from "./layout";
import { formatDateTimeFor } from "../lib/i18n/date-format";
import en from "../messages/en.json";

export type TObjectionReceiptProps = {
  locale: string;
  messages: TMessages;
  brand: TBrand;
  /** When it took effect, already formatted in the locale (formatDateTimeFor, on the clock of the objection's country). */
  date: string;
  countryName: string;
  reference: string;
  statusUrl: string;
  /** A signed receipt (objection-receipt.jwt) is attached: the email says what the file is. */
  signed?: boolean;
};

export const objectionReceiptSubject = ({ locale, messages }: Pick<TObjectionReceiptProps, "locale" | "messages">) => createTranslator({ locale, messages, namespace: "emails.receipt" })("subject");

export const ObjectionReceipt = ({ locale, messages, brand, date, countryName, reference, statusUrl, signed = false }: TObjectionReceiptProps) => {
  const t = createTranslator({ locale, messages, namespace: "emails.receipt" });
  const signedReceipt = createTranslator({ locale, messages, namespace: "emails.signedReceipt" });
  return (
    <EmailLayout locale={locale} sender={{ brand, messages }} preview={t("preview", { date })}>
      <EmailHeading>{t("heading")}</EmailHeading>
      <Text style={emailStyles.text}>{t("body", { date })}</Text>
      <EmailSection title={t("whatTitle")}>{t("what")}</EmailSection>
      <EmailSection title={t("neverTitle")}>{t("never")}</EmailSection>
      <EmailAction color={brand.color} href={statusUrl}>{t("statusButton")}</EmailAction>
      <Text style={emailStyles.small}>{t("country", { country: countryName })}</Text>
      <Text style={emailStyles.small}>{t("reference", { reference })}</Text>
      {signed && <Text style={emailStyles.small}>{signedReceipt("objection")}</Text>}
      <EmailFooter>{t("footer")}</EmailFooter>
    </EmailLayout>
  );
};

ObjectionReceipt.PreviewProps = {
  locale: "en",
  messages: en,
  brand: PREVIEW_BRAND,
  date: formatDateTimeFor({ locale: "en", country: "IE", date: new Date("2026-11-29T10:15:00Z") }),
  countryName: "Ireland",
  reference: "1B7QK-XM3ZA-9D0VT-ERW4H-C82NP",
  statusUrl: "http://localhost:3000/s/preview-token",
  signed: true,
} satisfies TObjectionReceiptProps;

export default ObjectionReceipt;
