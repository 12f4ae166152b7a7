import { Text } from "@react-email/components";
import { createTranslator } from "next-intl";

import type { TMessages } from "../lib/i18n/messages-type";

import { EmailAction, EmailFooter, EmailHeading, EmailLayout, emailStyles } from "./layout";
import en from "../messages/en.json";

export type TPersonalLinkProps = { locale: string; messages: TMessages; linkUrl: string };

export const personalLinkSubject = ({ locale, messages }: Pick<TPersonalLinkProps, "locale" | "messages">) =>
  createTranslator({ locale, messages, namespace: "emails.personalLink" })("subject");

export const PersonalLink = ({ locale, messages, linkUrl }: TPersonalLinkProps) => {
  const t = createTranslator({ locale, messages, namespace: "emails.personalLink" });
  return (
    <EmailLayout locale={locale} preview={t("preview")}>
      <EmailHeading>{t("heading")}</EmailHeading>
      <Text style={emailStyles.text}>{t("body")}</Text>
      <EmailAction href={linkUrl}>{t("button")}</EmailAction>
      <EmailFooter>{t("ignore")}</EmailFooter>
    </EmailLayout>
  );
};

PersonalLink.PreviewProps = {
  locale: "en",
  messages: en,
  linkUrl: "http://localhost:3000/o/preview-token",
} satisfies TPersonalLinkProps;

export default PersonalLink;
