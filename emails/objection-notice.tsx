import { Text } from "@react-email/components";
import { createTranslator } from "next-intl";

import { EmailAction, EmailFooter, EmailHeading, EmailLayout, EmailSection, emailStyles } from "./layout";
import type { TMessages } from "../lib/i18n/messages-type";
import en from "../messages/en.json";

export type TObjectionNoticeProps = { locale: string; messages: TMessages; linkUrl: string };

export const objectionNoticeSubject = ({ locale, messages }: Pick<TObjectionNoticeProps, "locale" | "messages">) =>
  createTranslator({ locale, messages, namespace: "emails.notice" })("subject");

/** The campaign email. Rendered once per campaign and language with a placeholder link (see lib/campaigns). */
export const ObjectionNotice = ({ locale, messages, linkUrl }: TObjectionNoticeProps) => {
  const t = createTranslator({ locale, messages, namespace: "emails.notice" });
  return (
    <EmailLayout locale={locale} preview={t("preview")}>
      <EmailHeading>{t("heading")}</EmailHeading>
      <Text style={emailStyles.text}>{t("intro")}</Text>
      <EmailSection title={t("usedTitle")}>{t("used")}</EmailSection>
      <EmailSection title={t("neverTitle")}>{t("never")}</EmailSection>
      <EmailSection title={t("rightTitle")}>{t("right")}</EmailSection>
      <EmailAction href={linkUrl}>{t("button")}</EmailAction>
      <EmailFooter>{t("footer")}</EmailFooter>
    </EmailLayout>
  );
};

ObjectionNotice.PreviewProps = {
  locale: "en",
  messages: en,
  linkUrl: "http://localhost:3000/o/preview-token",
} satisfies TObjectionNoticeProps;

export default ObjectionNotice;
