import { Text } from "@react-email/components";
import { createTranslator } from "next-intl";

import type { TBrand } from "../lib/branding/brand";
import type { TMessages } from "../lib/i18n/messages-type";

import { EmailAction, EmailFooter, EmailHeading, EmailLayout, emailStyles, PREVIEW_BRAND } from "./layout";
import en from "../messages/en.json";

/** One personal link per account on the address: a person may hold several. */
export type TPersonalLinkProps = {
  locale: string;
  messages: TMessages;
  brand: TBrand;
  linkUrls: string[];
};

export const personalLinkSubject = ({ locale, messages }: Pick<TPersonalLinkProps, "locale" | "messages">) => createTranslator({ locale, messages, namespace: "emails.personalLink" })("subject");

export const PersonalLink = ({ locale, messages, brand, linkUrls }: TPersonalLinkProps) => {
  const t = createTranslator({
    locale,
    messages,
    namespace: "emails.personalLink",
  });
  const [onlyUrl] = linkUrls;
  return (
    <EmailLayout locale={locale} sender={{ brand, messages }} preview={t("preview")}>
      <EmailHeading>{t("heading")}</EmailHeading>
      {linkUrls.length === 1 && onlyUrl ? (
        <>
          <Text style={emailStyles.text}>{t("body")}</Text>
          <EmailAction color={brand.color} href={onlyUrl}>{t("button")}</EmailAction>
        </>
      ) : (
        <>
          <Text style={emailStyles.text}>{t("bodyMany", { count: linkUrls.length })}</Text>
          {linkUrls.map((url, index) => (
            <EmailAction key={url} color={brand.color} href={url}>
              {t("buttonMany", { number: index + 1 })}
            </EmailAction>
          ))}
        </>
      )}
      <EmailFooter>{t("ignore")}</EmailFooter>
    </EmailLayout>
  );
};

PersonalLink.PreviewProps = {
  locale: "en",
  messages: en,
  brand: PREVIEW_BRAND,
  linkUrls: ["http://localhost:3000/o/preview-token"],
} satisfies TPersonalLinkProps;

export default PersonalLink;
