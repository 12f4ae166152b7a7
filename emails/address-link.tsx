import { Text } from "@react-email/components";
import { createTranslator } from "next-intl";

import type { TBrand } from "../lib/branding/brand";
import type { TMessages } from "../lib/i18n/messages-type";

import { EmailAction, EmailFooter, EmailHeading, EmailLayout, emailStyles, PREVIEW_BRAND } from "./layout";
import en from "../messages/en.json";

/** The /object email for an address no account uses: its link objects for the address alone. */
export type TAddressLinkProps = {
  locale: string;
  messages: TMessages;
  brand: TBrand;
  linkUrl: string;
  validDays: number;
};

export const addressLinkSubject = ({ locale, messages }: Pick<TAddressLinkProps, "locale" | "messages">) => createTranslator({ locale, messages, namespace: "emails.addressLink" })("subject");

export const AddressLink = ({ locale, messages, brand, linkUrl, validDays }: TAddressLinkProps) => {
  const t = createTranslator({
    locale,
    messages,
    namespace: "emails.addressLink",
  });
  return (
    <EmailLayout locale={locale} sender={{ brand, messages }} preview={t("preview")}>
      <EmailHeading>{t("heading")}</EmailHeading>
      <Text style={emailStyles.text}>{t("body")}</Text>
      <Text style={emailStyles.text}>{t("scope")}</Text>
      <EmailAction color={brand.color} href={linkUrl}>{t("button")}</EmailAction>
      <Text style={emailStyles.small}>{t("expiry", { days: validDays })}</Text>
      <EmailFooter>{t("ignore")}</EmailFooter>
    </EmailLayout>
  );
};

AddressLink.PreviewProps = {
  locale: "en",
  messages: en,
  brand: PREVIEW_BRAND,
  linkUrl: "http://localhost:3000/o/preview-token",
  validDays: 7,
} satisfies TAddressLinkProps;

export default AddressLink;
